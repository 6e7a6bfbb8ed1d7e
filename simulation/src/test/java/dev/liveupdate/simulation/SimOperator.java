package dev.liveupdate.simulation;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.operator.k8s.ActionExecutor;
import dev.liveupdate.operator.k8s.ClusterWrites;
import dev.liveupdate.operator.k8s.FleetSnapshot;
import dev.liveupdate.operator.k8s.LunTrimmer;
import dev.liveupdate.operator.k8s.NodeTrimmer;
import dev.liveupdate.operator.k8s.ReadYourWrites;
import dev.liveupdate.operator.k8s.Views;
import dev.liveupdate.operator.planning.BlockerCheck;
import dev.liveupdate.operator.planning.HealthProbe;
import dev.liveupdate.operator.planning.Decision;
import dev.liveupdate.operator.planning.FollowPlan;
import dev.liveupdate.operator.planning.FollowPrecedence;
import dev.liveupdate.operator.planning.PlanSettings;
import dev.liveupdate.operator.planning.RolloutPlanner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One operator process: informer caches fed by a watch (late, per object in order), the real {@link RolloutPlanner},
 * {@link FleetSnapshot}, {@link ReadYourWrites} and {@link ActionExecutor} (over {@link ClusterWrites} on the
 * in-memory server), composed as {@code LiveUpdateReconciler.evaluateAlone} composes them, and the status write and
 * finalizer removal of the reconciler. A crash loses all of it; the next process lists the server afresh.
 */
final class SimOperator {
    /** The process died in the middle of a pass (an injected crash). */
    static final class Died extends RuntimeException {
        Died() {
            super("operator process killed mid-pass", null, false, false);
        }
    }

    private final ApiServer api;
    private final VirtualClock clock;
    private final Watch watch;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, LiveUpdateNode> luns = new TreeMap<>();
    private final Map<String, LiveUpdate> plans = new TreeMap<>();
    private final RolloutPlanner planner = new RolloutPlanner();
    private final FleetSnapshot snapshot = new FleetSnapshot(Views.BootIdentity.AUTO);
    private final ReadYourWrites written;
    private final NodeTrimmer nodeTrimmer = new NodeTrimmer();
    private final LunTrimmer lunTrimmer = new LunTrimmer();
    /** Writes this process still makes before it dies (-1: no crash armed). */
    int writesBeforeDeath = -1;

    /** The plan's pod health gates as the live look-up would answer them (set by the simulation). */
    HealthProbe health = HealthProbe.NONE;

    SimOperator(ApiServer api, VirtualClock clock) {
        this.api = api;
        this.clock = clock;
        this.written = new ReadYourWrites(clock::monotonicNanos);
        // Informers: list, then watch from that version on.
        this.watch = api.watch(e -> true);
        api.nodes().forEach(n -> nodes.put(n.getMetadata().getName(), nodeTrimmer.apply(n)));
        api.luns().forEach(l -> luns.put(l.getMetadata().getName(), lunTrimmer.apply(l)));
        api.plans().forEach(p -> plans.put(p.getMetadata().getName(), p));
    }

    void stop() {
        api.unwatch(watch);
    }

    java.time.Instant oldestEvent() {
        return watch.oldest();
    }

    boolean hasEvents() {
        return watch.hasPending();
    }

    void deliver(Random rnd) {
        Watch.Event w = watch.next(rnd);
        Watch.Event e = new Watch.Event(w.kind(), w.name(), w.deleted(), ApiServer.copy(w.object())); // the trimmers may change it
        switch (e.kind()) {
            case "Node" -> put(nodes, e, o -> nodeTrimmer.apply((Node) o));
            case "LiveUpdateNode" -> put(luns, e, o -> lunTrimmer.apply((LiveUpdateNode) o));
            default -> put(plans, e, o -> (LiveUpdate) o);
        }
    }

    private static <T> void put(Map<String, T> cache, Watch.Event e, java.util.function.Function<Object, T> f) {
        if (e.deleted()) {
            cache.remove(e.name());
        } else {
            cache.put(e.name(), f.apply(e.object()));
        }
    }

    /** The plan as this operator's cache has it (what its decisions go by). */
    Optional<LiveUpdate> cachedPlan(String uid) {
        return plans.values().stream().filter(p -> uid.equals(p.getMetadata().getUid())).findFirst();
    }

    /**
     * The Node as this operator decides on it: its cache with its own writes laid over (a cache still showing the
     * operator's own cordon that it has since taken back does not show anyone else's cordon).
     */
    Optional<Node> cachedNode(String name) {
        return written.over(caches()).node(name);
    }

    List<String> cachedPlans() {
        return List.copyOf(plans.keySet());
    }

    /** One reconcile (or cleanup) of the plan as the operator's cache has it. */
    void reconcile(String name) {
        LiveUpdate plan = plans.get(name);
        if (plan == null) {
            return;
        }
        plan = ApiServer.copy(plan);
        boolean deleting = plan.getMetadata().getDeletionTimestamp() != null;
        LiveUpdateSpec spec = plan.getSpec();
        RolloutPlanner.Plan in = new RolloutPlanner.Plan(name, plan.getMetadata().getUid(),
                Objects.requireNonNullElse(plan.getMetadata().getGeneration(), 1L), deleting,
                PlanSettings.from(spec).withControlPlaneAllowed(false).withFollowPrecedence(followPrecedence()),
                plan.getStatus());
        FleetSnapshot.Caches caches = written.over(caches());
        boolean gated = spec.getHealthGates() != null && spec.getHealthGates().getPods() != null
                && !spec.getHealthGates().getPods().isEmpty();
        Decision d = planner.plan(in, snapshot.entries(plan, caches), clock.instant(), BlockerCheck.NONE,
                gated ? health : HealthProbe.NONE);
        new ActionExecutor(writes(), caches, written, this::livePlan, (p, ev) -> { }, (p, b) -> { })
                .execute(plan, d.actions());
        if (deleting) {
            if (d.released() && d.actions().isEmpty()) {
                beforeWrite();
                api.removeFinalizer("operator", name, plan.getMetadata().getUid());
            }
            return;
        }
        if (!ApiServer.JSON.asJson(d.status()).equals(ApiServer.JSON.asJson(plan.getStatus()))) {
            beforeWrite();
            api.patchPlanStatus("operator", name, plan.getMetadata().getUid(), d.status());
        }
    }

    private void beforeWrite() {
        if (writesBeforeDeath == 0) {
            throw new Died();
        }
        if (writesBeforeDeath > 0) {
            writesBeforeDeath--;
        }
    }

    private ClusterWrites writes() {
        return new ClusterWrites() {
            @Override
            public LiveUpdateNode updateLun(LiveUpdateNode lun) {
                beforeWrite();
                return api.updateLun("operator", ApiServer.Who.OPERATOR, lun);
            }

            @Override
            public Node mergePatchNode(String name, String mergePatch) {
                beforeWrite();
                return api.mergePatchNode("operator", ApiServer.Who.OPERATOR, name, mergePatch);
            }

            @Override
            public <T> T copy(T object) {
                return ApiServer.copy(object);
            }
        };
    }

    private FollowPrecedence followPrecedence() {
        return new FollowPrecedence(plans.values().stream().flatMap(p -> FollowPlan.of(p.getMetadata().getName(),
                p.getMetadata().getUid(), p.getMetadata().getCreationTimestamp(),
                p.getMetadata().getDeletionTimestamp() != null, p.getSpec()).stream()).toList());
    }

    private boolean livePlan(String uid) {
        return plans.values().stream().anyMatch(p -> uid.equals(p.getMetadata().getUid()));
    }

    private FleetSnapshot.Caches caches() {
        return new FleetSnapshot.Caches() {
            @Override
            public Stream<Node> nodes(Predicate<Node> filter) {
                return nodes.values().stream().filter(filter);
            }

            @Override
            public Optional<Node> node(String name) {
                return Optional.ofNullable(nodes.get(name));
            }

            @Override
            public Optional<LiveUpdateNode> lun(String name) {
                return Optional.ofNullable(luns.get(name));
            }

            @Override
            public List<LiveUpdateNode> lunsHeldBy(String planUid) {
                return luns.values().stream().filter(l -> FleetSnapshot.HOLDER.apply(l).contains(planUid)).toList();
            }

            @Override
            public List<LiveUpdateNode> lunsWithOutcome(String planUid) {
                return luns.values().stream().filter(l -> FleetSnapshot.OUTCOMES.apply(l).contains(planUid)).toList();
            }

            @Override
            public List<Node> nodesCordonedBy(String planUid) {
                return nodes.values().stream().filter(n -> FleetSnapshot.CORDONER.apply(n).contains(planUid)).toList();
            }
        };
    }

    /** Whether an exception is the kind a reconcile ends with (JOSDK retries it), not a bug. */
    static boolean retriable(RuntimeException e) {
        return e instanceof KubernetesClientException;
    }
}
