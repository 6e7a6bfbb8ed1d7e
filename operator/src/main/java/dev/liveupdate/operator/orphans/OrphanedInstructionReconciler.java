package dev.liveupdate.operator.orphans;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.operator.k8s.Annotations;
import dev.liveupdate.operator.k8s.FleetSnapshot;
import dev.liveupdate.operator.k8s.LedgerCodec;
import dev.liveupdate.operator.k8s.Views;
import dev.liveupdate.operator.observe.PlanEvents;
import dev.liveupdate.operator.planning.PlanEvent;
import dev.liveupdate.operator.planning.Reasons;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Gives back nodes whose instruction names a plan that does not exist (deleted with its finalizer stripped, or never
 * there: written by hand, restored from a backup, carried by a stale GitOps manifest). A second controller, with the
 * LiveUpdateNodes as its primaries (only those holding an instruction), so that it runs on the leader only and no plan
 * has to exist for it to run. Woken by every change of such a node (its status too: it waits for the agent), by the
 * deletion of a plan (the nodes that plan held), and every {@link #RECHECK} minutes.
 *
 * <p>What to write is {@link InstructionWithoutPlan}'s decision; whether the plan is gone is {@link PlanLookup}'s,
 * from the API server. Every write is conditional on the resourceVersion the decision saw; a node's cordon mark of the
 * gone plan is lifted before the instruction is cleared (so an interruption leaves the instruction, and the next pass
 * both), and each write is announced by an Event on the LiveUpdateNode; the cleared instruction's outcome annotation
 * ({@code liveupdate.dev/outcome.<uid>}, reason PlanGone) names the plan and why.
 */
@ControllerConfiguration(name = OrphanedInstructionReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = OrphanedInstructionReconciler.RECHECK,
                timeUnit = TimeUnit.MINUTES),
        informer = @Informer(genericFilter = HoldsInstruction.class, itemStore = TrimmedLunStore.class,
                informerListLimit = 500))
public class OrphanedInstructionReconciler implements Reconciler<LiveUpdateNode> {
    public static final String NAME = "orphaned-instructions";
    static final long RECHECK = 10;
    /** How soon to look again while the agent has not settled (its status changes wake this sooner). */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration AFTER_LOST_RACE = Duration.ofSeconds(1);
    private static final String HOLDER_INDEX = "holder";
    private static final Logger LOG = Logger.getLogger(OrphanedInstructionReconciler.class);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final PlanEvents events;
    private final Clock clock = Clock.systemUTC();
    private InformerEventSource<LiveUpdate, LiveUpdateNode> plans;

    public OrphanedInstructionReconciler(KubernetesClient client, PlanEvents events) {
        this.client = client;
        this.events = events;
    }

    @Override
    public List<EventSource<?, LiveUpdateNode>> prepareEventSources(EventSourceContext<LiveUpdateNode> ctx) {
        ctx.getPrimaryCache().addIndexer(HOLDER_INDEX, FleetSnapshot.HOLDER);
        plans = new InformerEventSource<>(InformerEventSourceConfiguration.from(LiveUpdate.class, LiveUpdateNode.class)
                .withName("plans")
                // Only a deletion can leave an instruction without its plan; status writes of live plans wake nothing.
                .withOnAddFilter(p -> false)
                .withOnUpdateFilter((newer, older) -> false)
                .withSecondaryToPrimaryMapper(p -> ctx.getPrimaryCache()
                        .byIndex(HOLDER_INDEX, p.getMetadata().getUid()).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), ctx);
        return List.of(plans);
    }

    @Override
    public UpdateControl<LiveUpdateNode> reconcile(LiveUpdateNode lun, Context<LiveUpdateNode> ctx) {
        NodeInstruction in = lun.getSpec() == null ? null : lun.getSpec().getInstruction();
        if (in == null || in.getPlan() == null) {
            return UpdateControl.noUpdate();
        }
        PlanLookup lookup = new PlanLookup(name -> plans.get(new ResourceID(name)),
                name -> client.resources(LiveUpdate.class).withName(name).get());
        Optional<String> gone = lookup.whyGone(in.getPlan());
        if (gone.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        InstructionWithoutPlan.Step step = InstructionWithoutPlan.decide(Views.lun(lun), gone.get(), clock.instant());
        try {
            if (step instanceof InstructionWithoutPlan.Finish f) {
                finish(lun, f);
                return UpdateControl.<LiveUpdateNode>noUpdate().rescheduleAfter(WAIT);
            }
            if (step instanceof InstructionWithoutPlan.Clear c) {
                clear(lun, in, c);
                return UpdateControl.noUpdate();
            }
            LOG.debugf("node=%s %s", lun.getMetadata().getName(), step.message());
            return UpdateControl.<LiveUpdateNode>noUpdate().rescheduleAfter(WAIT);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
            // The object moved on since this decision (or is gone): decide again on its next version.
            LOG.debugf("node=%s write skipped: %d %s", lun.getMetadata().getName(), e.getCode(), e.getMessage());
            return UpdateControl.<LiveUpdateNode>noUpdate().rescheduleAfter(AFTER_LOST_RACE);
        }
    }

    private void finish(LiveUpdateNode cached, InstructionWithoutPlan.Finish f) {
        LiveUpdateNode lun = copy(cached);
        lun.getSpec().getInstruction().setStep(NodeStep.Finished);
        lun.getSpec().getInstruction().setIssuedAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString());
        client.resource(lun).update();
        LOG.warnf("node=%s %s", cached.getMetadata().getName(), f.message());
        events.postOn(cached, PlanEvent.warning("PlanGoneFinishing", f.message()));
    }

    private void clear(LiveUpdateNode cached, NodeInstruction in, InstructionWithoutPlan.Clear c) {
        String uid = in.getPlan().getUid();
        uncordonIfMarkedBy(cached.getMetadata().getName(), uid);
        LiveUpdateNode lun = copy(cached);
        lun.getSpec().setInstruction(null);
        Map<String, String> ann = lun.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(lun.getMetadata().getAnnotations());
        ann.remove(Annotations.LEDGER);
        ann.put(Annotations.outcomeKey(uid), LedgerCodec.encode(c.outcome()));
        lun.getMetadata().setAnnotations(ann);
        client.resource(lun).update();
        LOG.warnf("node=%s %s", cached.getMetadata().getName(), c.message());
        events.postOn(cached, PlanEvent.warning("PlanGoneCleared", c.message()));
    }

    /** The gone plan's cordon (invariant 5: only a cordon the annotation says it made), lifted as its deletion would. */
    private void uncordonIfMarkedBy(String name, String planUid) {
        Node node = client.nodes().withName(name).get();
        Map<String, String> ann = node == null ? null : node.getMetadata().getAnnotations();
        if (ann == null || !planUid.equals(ann.get(Annotations.CORDONED_BY))) {
            return;
        }
        client.nodes().withName(name).patch(MERGE, "{\"metadata\":{\"resourceVersion\":\""
                + node.getMetadata().getResourceVersion() + "\",\"annotations\":{\"" + Annotations.CORDONED_BY
                + "\":null}},\"spec\":{\"unschedulable\":null}}");
        LOG.infof("node=%s uncordoned: the plan %s that cordoned it is gone", name, planUid);
    }

    private LiveUpdateNode copy(LiveUpdateNode cached) {
        return client.getKubernetesSerialization().clone(cached);
    }
}
