package dev.liveupdate.operator;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.operator.k8s.MaintenanceConditionPublisher;
import dev.liveupdate.operator.k8s.ActionExecutor;
import dev.liveupdate.operator.k8s.BlockerNamespaces;
import dev.liveupdate.operator.k8s.FleetSnapshot;
import dev.liveupdate.operator.k8s.LunTrimmer;
import dev.liveupdate.operator.k8s.NodeWriteChains;
import dev.liveupdate.operator.k8s.NodeTrimmer;
import dev.liveupdate.operator.k8s.PlanMappers;
import dev.liveupdate.operator.k8s.PodBlockerCheck;
import dev.liveupdate.operator.k8s.CheckPodJob;
import dev.liveupdate.operator.k8s.PodHealthProbe;
import dev.liveupdate.operator.k8s.ReadYourWrites;
import dev.liveupdate.operator.k8s.Views;
import dev.liveupdate.operator.observe.PlanEvents;
import dev.liveupdate.operator.observe.RolloutMetrics;
import dev.liveupdate.operator.planning.BlockerCheck;
import dev.liveupdate.operator.planning.HealthProbe;
import dev.liveupdate.operator.planning.Decision;
import dev.liveupdate.operator.planning.FollowPlan;
import dev.liveupdate.operator.planning.FollowPrecedence;
import dev.liveupdate.operator.planning.MaintenanceConditions;
import dev.liveupdate.operator.planning.NodeEntry;
import dev.liveupdate.operator.planning.PlanSettings;
import dev.liveupdate.operator.planning.Reasons;
import dev.liveupdate.operator.planning.RolloutPlanner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Thin adapter between Kubernetes and the {@link RolloutPlanner}: reads the caches, asks the planner, makes the
 * writes it decided, posts events and metrics, and writes the status it computed. As a {@link Cleaner} it keeps its
 * finalizer on a deleted plan until every node the plan touched is released and uncordoned.
 */
@ControllerConfiguration(name = LiveUpdateReconciler.NAME)
public class LiveUpdateReconciler implements Reconciler<LiveUpdate>, Cleaner<LiveUpdate> {
    public static final String NAME = "liveupdate";
    static final long LIST_PAGE = 500;
    /** When a pass wrote something, the next pass follows this soon (it sees its writes through ReadYourWrites). */
    static final Duration FOLLOW_UP = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(LiveUpdateReconciler.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final PlanEvents events;
    private final RolloutMetrics metrics;
    private final RolloutPlanner planner = new RolloutPlanner();
    private final Clock clock = Clock.systemUTC();
    private final FleetSnapshot snapshot;
    private final ReadYourWrites written = new ReadYourWrites(System::nanoTime);
    private final BlockerNamespaces blockerNamespaces;
    /**
     * One pass at a time across all plans: each pass's budget counts the cordons and reboots every other plan has
     * already written (through {@link #written}), so two plans sharing nodes cannot both spend the last unit of it.
     * A pass is milliseconds of planning plus its writes, and plans are few.
     */
    private final ReentrantLock passes = new ReentrantLock();
    /** The writers of a pass's per-node chains (bounded by liveupdate.operator.max-concurrent-writes). */
    private final NodeWriteChains writers;
    private final MaintenanceConditionPublisher conditionPublisher;
    private InformerEventSource<Node, LiveUpdate> nodeSource;
    private InformerEventSource<LiveUpdateNode, LiveUpdate> lunSource;
    private io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<LiveUpdate> plans;

    public LiveUpdateReconciler(KubernetesClient client, OperatorConfig config, PlanEvents events,
            RolloutMetrics metrics) {
        this.client = client;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
        this.writers = NodeWriteChains.bounded(config.maxConcurrentWrites());
        this.conditionPublisher = new MaintenanceConditionPublisher(
                MaintenanceConditionPublisher.NodeStatusWrites.of(client), clock, client.getKubernetesSerialization());
        this.blockerNamespaces = BlockerNamespaces.of(config.blockerNamespaces());
        LOG.infof("blocker pods are looked for in %s", blockerNamespaces.everywhere() ? "every namespace"
                : "namespaces " + blockerNamespaces.allowed());
        this.snapshot = new FleetSnapshot(Views.BootIdentity.valueOf(
                config.bootIdentity().toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    @Override
    public List<EventSource<?, LiveUpdate>> prepareEventSources(EventSourceContext<LiveUpdate> ctx) {
        plans = ctx.getPrimaryCache();
        PlanMappers mappers = new PlanMappers(() -> ctx.getPrimaryCache().list(), this::cachedNode, this::cachedLun,
                written::writer);
        nodeSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, LiveUpdate.class)
                .withName("nodes")
                // Pages of 500 on the initial list and relists, so 5,000 full Nodes never sit in memory at once.
                .withInformerListLimit(LIST_PAGE)
                .withItemStore(new TransformingItemStore<>(new NodeTrimmer()))
                // Kubelet status updates that change nothing the planner reads do not wake any plan.
                .withOnUpdateFilter((n, o) -> !NodeTrimmer.Fingerprint.of(n).equals(NodeTrimmer.Fingerprint.of(o)))
                .withSecondaryToPrimaryMapper(mappers::forNode)
                .build(), ctx);
        nodeSource.addIndexers(Map.of(FleetSnapshot.CORDON_INDEX, FleetSnapshot.CORDONER));
        lunSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(LiveUpdateNode.class, LiveUpdate.class)
                        .withName("liveupdatenodes")
                        .withInformerListLimit(LIST_PAGE)
                        .withItemStore(new TransformingItemStore<>(new LunTrimmer()))
                        .withOnUpdateFilter(LunTrimmer::plannerRelevantChange)
                        .withSecondaryToPrimaryMapper(mappers::forLun)
                        .build(), ctx);
        lunSource.addIndexers(Map.of(FleetSnapshot.HOLDER_INDEX, FleetSnapshot.HOLDER,
                FleetSnapshot.OUTCOME_INDEX, FleetSnapshot.OUTCOMES));
        return List.of(nodeSource, lunSource);
    }

    @Override
    public UpdateControl<LiveUpdate> reconcile(LiveUpdate plan, Context<LiveUpdate> ctx) {
        Pass pass = evaluate(plan, false);
        LiveUpdateStatus next = pass.decision.status();
        metrics.nodeCounts(plan.getMetadata().getName(), next.getNodeCounts());
        metrics.planPhase(plan.getMetadata().getName(), next.getPhase());
        metrics.blackoutPercentile(plan.getMetadata().getName(), next.getBlackout());
        metrics.blackoutBudgetHalts(plan.getMetadata().getName(), (int) pass.decision.events().stream()
                .filter(e -> Reasons.BLACKOUT_BUDGET_EXCEEDED.equals(e.reason())).count());
        pass.decision.events().forEach(e -> events.post(plan, e));
        UpdateControl<LiveUpdate> control;
        if (sameStatus(plan.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            plan.setStatus(next);
            control = UpdateControl.patchStatus(plan);
        }
        return control.rescheduleAfter(pass.nextLook(config));
    }

    @Override
    public DeleteControl cleanup(LiveUpdate plan, Context<LiveUpdate> ctx) {
        Pass pass = evaluate(plan, true);
        if (pass.decision.released() && pass.decision.actions().isEmpty() && pass.conditionWrites() == 0) {
            LOG.infof("plan=%s released every node; removing finalizer", plan.getMetadata().getName());
            metrics.forget(plan.getMetadata().getName());
            return DeleteControl.defaultDelete();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(pass.nextLook(config).toMillis());
    }

    @Override
    public ErrorStatusUpdateControl<LiveUpdate> updateErrorStatus(LiveUpdate plan, Context<LiveUpdate> ctx,
            Exception e) {
        metrics.reconcileError(plan.getMetadata().getName());
        LOG.errorf(e, "plan=%s reconcile failed", plan.getMetadata().getName());
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /** One planning pass with its writes carried out. */
    /** @param conditionWrites Nodes whose lifecycle conditions this pass wrote or has to write again */
    private record Pass(Decision decision, ActionExecutor.Result result, int conditionWrites) {
        Duration nextLook(OperatorConfig config) {
            Duration d = result.skipped() > 0 ? config.conflictRetry() : config.resyncInterval();
            if (conditionWrites > 0 && config.conflictRetry().compareTo(d) < 0) {
                // The Node watch event of a condition write wakes the plan; this only covers a lost or failed one.
                d = config.conflictRetry();
            }
            if (result.applied() > 0 && FOLLOW_UP.compareTo(d) < 0) {
                // The watch events of our own writes do not wake this plan (PlanMappers): look again right away.
                d = FOLLOW_UP;
            }
            if (decision.requeueAfter() != null && decision.requeueAfter().compareTo(d) < 0) {
                d = decision.requeueAfter();
            }
            return d;
        }
    }

    private Pass evaluate(LiveUpdate plan, boolean deleting) {
        passes.lock();
        try {
            return evaluateAlone(plan, deleting);
        } finally {
            passes.unlock();
        }
    }

    private Pass evaluateAlone(LiveUpdate plan, boolean deleting) {
        LiveUpdateSpec spec = plan.getSpec();
        RolloutPlanner.Plan in = new RolloutPlanner.Plan(plan.getMetadata().getName(), plan.getMetadata().getUid(),
                Objects.requireNonNullElse(plan.getMetadata().getGeneration(), 1L), deleting,
                PlanSettings.from(spec).withControlPlaneAllowed(config.allowControlPlaneNodes())
                        .withFollowPrecedence(followPrecedence()), plan.getStatus());
        BlockerCheck blockers = spec.getBlockers() == null || spec.getBlockers().isEmpty() ? BlockerCheck.NONE
                : new PodBlockerCheck(client, spec.getBlockers(), blockerNamespaces);
        FleetSnapshot.Caches caches = written.over(caches());
        List<NodeEntry> entries = snapshot.entries(plan, caches);
        HealthProbe health = healthProbe(plan, in.settings());
        Decision d = planner.plan(in, entries, clock.instant(), blockers, health);
        ActionExecutor executor = new ActionExecutor(client, caches, written, this::livePlan, events::post,
                metrics::blackout, writers);
        ActionExecutor.Result r = executor.execute(plan, d.actions());
        if (r.skipped() > 0) {
            metrics.writeConflict(plan.getMetadata().getName());
        }
        d.waveDurations().forEach(w -> metrics.waveDuration(plan.getMetadata().getName(), w));
        return new Pass(d, r, publishLifecycleConditions(plan, in.settings(), entries));
    }

    /** The live look-ups of the plan's health gates: pods on the node, the check pod (none without gates). */
    private HealthProbe healthProbe(LiveUpdate plan, PlanSettings settings) {
        var gates = plan.getSpec().getHealthGates();
        if (gates == null) {
            return HealthProbe.NONE;
        }
        CheckPodJob check = gates.getCheckPod() == null ? null : new CheckPodJob(client, plan, gates.getCheckPod(),
                settings.healthGates().timeout(), config.healthChecksNamespace(),
                config.healthChecksAllowedImages().orElse(List.of()));
        return new PodHealthProbe(client, gates.getPods(), blockerNamespaces, check);
    }

    /** KEP-5683 conditions from what this pass saw (the next pass, woken by our writes, catches up). */
    private int publishLifecycleConditions(LiveUpdate plan, PlanSettings settings, List<NodeEntry> entries) {
        if (!config.nodeLifecycleConditions()) {
            return 0;
        }
        var changes = new MaintenanceConditions(plan.getMetadata().getUid(), plan.getMetadata().getName(),
                settings.kernelRelease(), settings.cordon()).changes(entries);
        return changes.isEmpty() ? 0 : conditionPublisher.publish(changes);
    }

    private boolean sameStatus(LiveUpdateStatus a, LiveUpdateStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        var s = client.getKubernetesSerialization();
        return s.asJson(a).equals(s.asJson(b));
    }

    /** Every live nodeJoin Follow plan in the cache, ranked: which one takes a node several of them would take. */
    private FollowPrecedence followPrecedence() {
        if (plans == null) {
            return FollowPrecedence.NONE;
        }
        return new FollowPrecedence(plans.list().flatMap(p -> FollowPlan.of(p.getMetadata().getName(),
                p.getMetadata().getUid(), p.getMetadata().getCreationTimestamp(),
                p.getMetadata().getDeletionTimestamp() != null, p.getSpec()).stream()).toList());
    }

    private boolean livePlan(String uid) {
        return plans != null && plans.list().anyMatch(p -> uid.equals(p.getMetadata().getUid()));
    }

    private Optional<Node> cachedNode(String name) {
        return nodeSource == null ? Optional.empty() : nodeSource.get(new ResourceID(name));
    }

    private Optional<LiveUpdateNode> cachedLun(String name) {
        return lunSource == null ? Optional.empty() : lunSource.get(new ResourceID(name));
    }

    private FleetSnapshot.Caches caches() {
        return new FleetSnapshot.Caches() {
            @Override
            public Stream<Node> nodes(Predicate<Node> filter) {
                return nodeSource.list(filter);
            }

            @Override
            public Optional<Node> node(String name) {
                return cachedNode(name);
            }

            @Override
            public Optional<LiveUpdateNode> lun(String name) {
                return cachedLun(name);
            }

            @Override
            public List<LiveUpdateNode> lunsHeldBy(String planUid) {
                return lunSource.byIndex(FleetSnapshot.HOLDER_INDEX, planUid);
            }

            @Override
            public List<LiveUpdateNode> lunsWithOutcome(String planUid) {
                return lunSource.byIndex(FleetSnapshot.OUTCOME_INDEX, planUid);
            }

            @Override
            public List<Node> nodesCordonedBy(String planUid) {
                return nodeSource.byIndex(FleetSnapshot.CORDON_INDEX, planUid);
            }
        };
    }
}
