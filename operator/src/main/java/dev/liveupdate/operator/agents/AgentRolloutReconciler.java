package dev.liveupdate.operator.agents;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.operator.OperatorConfig;
import dev.liveupdate.operator.observe.PlanEvents;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import io.quarkus.arc.lookup.LookupUnlessProperty;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Replaces outdated agent pods of the agent DaemonSet (updateStrategy OnDelete) only where no plan needs the running
 * agent, so that {@code helm upgrade} in the middle of a plan never ends the LUO sessions an agent holds. A third
 * controller, with the agent DaemonSet (in the operator's namespace, liveupdate.operator.agent-daemon-set) as its
 * primary, so it runs on the leader only; woken by the DaemonSet, its pods and ControllerRevisions, and every
 * LiveUpdateNode change that {@link NodeSafety} reads.
 *
 * <p>What to delete is {@link AgentReplacements}'s decision; this class reads the caches, deletes the pods (the
 * DaemonSet controller creates their successors; nothing is awaited here) and says what it did: a Normal event
 * {@code AgentReplaced} on the DaemonSet for each pod, and {@code AgentUpdateWaiting} on an outdated pod whenever the
 * reason its node keeps it changes. Under RollingUpdate the DaemonSet controller replaces pods itself and this
 * controller does nothing.
 */
// Registered only when an agent DaemonSet is configured (the extension registers the reconcilers it can look up).
@LookupUnlessProperty(name = AgentRolloutActivation.PROPERTY, stringValue = "", lookupIfMissing = false)
@ControllerConfiguration(name = AgentRolloutReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = AgentRolloutReconciler.RECHECK,
                timeUnit = TimeUnit.MINUTES))
public class AgentRolloutReconciler implements ConfigurableReconciler<DaemonSet> {
    public static final String NAME = "agent-rollout";
    static final long RECHECK = 10;
    /** How soon to look again while a deleted pod has no successor yet (its creation wakes this sooner). */
    static final Duration WHILE_PENDING = Duration.ofSeconds(15);
    private static final Logger LOG = Logger.getLogger(AgentRolloutReconciler.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final PlanEvents events;
    private final PendingReplacements pending = new PendingReplacements(Clock.systemUTC());
    /** Per outdated pod, the last reason announced for its wait, so an unchanged wait is not announced again. */
    private final Map<String, String> announcedWaits = new HashMap<>();
    private InformerEventSource<LiveUpdateNode, DaemonSet> nodes;
    private String lastSkip;

    public AgentRolloutReconciler(KubernetesClient client, OperatorConfig config, PlanEvents events) {
        this.client = client;
        this.config = config;
        this.events = events;
        ReplacementPace.allowed(config.agentMaxUnavailable(), 1); // a wrong setting stops the start, with its name
        String daemonSet = config.agentDaemonSet().orElseThrow();
        List<AgentRolloutAccess.Need> denied = AgentRolloutAccess.denied(client, config.agentNamespace());
        if (!denied.isEmpty()) {
            // Said before the informers start: they would stop the operator with a bare 403 instead.
            throw new IllegalStateException(AgentRolloutAccess.explain(daemonSet, config.agentNamespace(), denied));
        }
        LOG.infof("agent upgrades: outdated pods of DaemonSet %s/%s (updateStrategy OnDelete) are replaced on nodes no"
                + " plan needs, at most %s at once", config.agentNamespace(), daemonSet, config.agentMaxUnavailable());
    }

    /** Watch the operator's own namespace only: its RBAC there is a Role, not a ClusterRole. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<DaemonSet> overrider) {
        overrider.settingNamespace(config.agentNamespace());
    }

    @Override
    public List<EventSource<?, DaemonSet>> prepareEventSources(EventSourceContext<DaemonSet> ctx) {
        InformerEventSource<Pod, DaemonSet> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, DaemonSet.class).withName("agent-pods")
                        .withItemStore(new AgentPodTrimmer())
                        .withSecondaryToPrimaryMapper(AgentRolloutReconciler::ownerDaemonSet)
                        .build(), ctx);
        InformerEventSource<ControllerRevision, DaemonSet> revisions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ControllerRevision.class, DaemonSet.class)
                        .withName("agent-revisions")
                        .withSecondaryToPrimaryMapper(AgentRolloutReconciler::ownerDaemonSet)
                        .build(), ctx);
        nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(LiveUpdateNode.class, DaemonSet.class)
                        .withName("agent-liveupdatenodes")
                        .withWatchAllNamespaces()
                        .withInformerListLimit(500L)
                        .withItemStore(new AgentLunTrimmer())
                        // Heartbeats and inventory changes do not change whether an agent may be replaced.
                        .withOnUpdateFilter((newer, older) -> !AgentViews.report(newer).equals(AgentViews.report(older)))
                        .withSecondaryToPrimaryMapper(l -> agentDaemonSet())
                        .build(), ctx);
        return List.of(pods, revisions, nodes);
    }

    @Override
    public UpdateControl<DaemonSet> reconcile(DaemonSet ds, Context<DaemonSet> ctx) {
        if (!config.agentDaemonSet().map(ds.getMetadata().getName()::equals).orElse(false)) {
            return UpdateControl.noUpdate(); // another DaemonSet of the namespace (the device plugin's), or none set
        }
        String skip = RolloutGate.whyNot(ds).orElse(null);
        if (skip != null) {
            if (!skip.equals(lastSkip)) {
                LOG.infof("daemonset=%s agent rollout: %s", ds.getMetadata().getName(), skip);
            }
            lastSkip = skip;
            return UpdateControl.noUpdate();
        }
        lastSkip = null;
        String uid = ds.getMetadata().getUid();
        AgentRevision current = AgentViews.revision(ds, ctx.getSecondaryResources(ControllerRevision.class).stream()
                .filter(r -> ownedBy(r, uid)).toList());
        if (!current.known()) {
            LOG.warnf("daemonset=%s has neither a ControllerRevision nor a template generation: cannot tell which"
                    + " agent pods are outdated", ds.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
        // Owned by this DaemonSet object, not one of the same name deleted before (the garbage collector's leftovers).
        Map<String, Pod> pods = ctx.getSecondaryResources(Pod.class).stream().filter(p -> ownedBy(p, uid))
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p, (a, b) -> a));
        List<AgentPod> agents = pods.values().stream().map(p -> AgentViews.pod(p, current)).toList();
        Set<String> pendingNodes = pending.stillPending(agents);
        AgentReplacements.Decision d = AgentReplacements.decide(agents, node -> nodes.get(new ResourceID(node))
                .map(AgentViews::report).orElse(null), pendingNodes, config.agentMaxUnavailable());

        for (AgentReplacements.Replace r : d.replace()) {
            replace(ds, pods.get(r.pod().name()), r, current);
        }
        announceWaits(d.waiting(), pods, current);
        if (!d.replace().isEmpty() || !d.waiting().isEmpty() || d.paced() > 0) {
            // Every LiveUpdateNode change of a waiting fleet wakes this: only a pass that replaced something is news.
            LOG.logf(d.replace().isEmpty() ? Logger.Level.DEBUG : Logger.Level.INFO,
                    "daemonset=%s revision=%s outdated=%d replaced=%d waiting=%d paced=%d unavailable=%d/%d",
                    ds.getMetadata().getName(), current, d.outdated(), d.replace().size(), d.waiting().size(),
                    d.paced(), d.unavailable(), d.allowed());
        }
        return pending.isEmpty() ? UpdateControl.noUpdate()
                : UpdateControl.<DaemonSet>noUpdate().rescheduleAfter(WHILE_PENDING);
    }

    private void replace(DaemonSet ds, Pod pod, AgentReplacements.Replace r, AgentRevision current) {
        String node = r.pod().node();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            return; // gone meanwhile: its successor shows up as a pod event
        }
        pending.deleted(node, r.pod().name());
        announcedWaits.remove(r.pod().name());
        events.postOn(ds, PlanEvent.normal("AgentReplaced", "deleted outdated agent pod " + r.pod().name()
                + " on " + node + " (revision " + AgentRevision.of(pod.getMetadata().getLabels()) + ", the DaemonSet's is "
                + current + ") for the DaemonSet to start its successor: " + r.why()));
    }

    private void announceWaits(List<AgentReplacements.Wait> waits, Map<String, Pod> pods, AgentRevision current) {
        announcedWaits.keySet().retainAll(waits.stream().map(w -> w.pod().name()).collect(Collectors.toSet()));
        for (AgentReplacements.Wait w : waits) {
            if (w.reason().equals(announcedWaits.put(w.pod().name(), w.reason()))) {
                continue;
            }
            Pod pod = pods.get(w.pod().name());
            events.postOn(pod, PlanEvent.normal("AgentUpdateWaiting", "waiting: " + w.reason() + "; outdated agent pod "
                    + w.pod().name() + " (revision " + AgentRevision.of(pod.getMetadata().getLabels())
                    + ", the DaemonSet's is " + current + ") is replaced once no plan needs it"));
        }
    }

    private Set<ResourceID> agentDaemonSet() {
        return config.agentDaemonSet().map(n -> Set.of(new ResourceID(n, config.agentNamespace())))
                .orElse(Set.of());
    }

    private static boolean ownedBy(HasMetadata owned, String uid) {
        return owned.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    private static Set<ResourceID> ownerDaemonSet(HasMetadata owned) {
        return owned.getMetadata().getOwnerReferences().stream()
                .filter(o -> "DaemonSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .map(o -> new ResourceID(o.getName(), owned.getMetadata().getNamespace()))
                .collect(Collectors.toSet());
    }
}
