package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.operator.planning.BlockerCheck;
import dev.liveupdate.operator.planning.Decision;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.NodeAction;
import dev.liveupdate.operator.planning.PlanSettings;
import dev.liveupdate.operator.planning.RolloutPlanner;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Safety invariant 2 under cache lag: the operator's own writes count in its next decision before the informers
 * deliver them, across plans.
 */
class ReadYourWritesTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final ReadYourWrites written = new ReadYourWrites(clock::elapsedNanos);
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, LiveUpdateNode> luns = new HashMap<>();

    @Test
    void aCordonCountsAtOnceUntilTheCacheShowsItOrALaterVersion() {
        nodes.put("a", node("a", "1", null));
        written.wroteNode("plan-1", "1", node("a", "2", "plan-1"));

        FleetSnapshot.Caches view = written.over(informers());
        assertThat(view.node("a")).get().extracting(n -> n.getSpec().getUnschedulable()).isEqualTo(true);
        assertThat(view.nodesCordonedBy("plan-1")).extracting(n -> n.getMetadata().getName()).containsExactly("a");
        assertThat(view.nodes(n -> Boolean.TRUE.equals(n.getSpec().getUnschedulable()))).hasSize(1);

        nodes.put("a", node("a", "3", null)); // someone uncordoned after our write: the cache is newer than we are
        assertThat(view.node("a")).get().extracting(n -> n.getSpec().getUnschedulable()).isEqualTo(false);
        assertThat(view.nodesCordonedBy("plan-1")).isEmpty();
        assertThat(written.remembered()).isZero();
    }

    @Test
    void aWriteThatNeverShowsUpIsForgottenAfterTheMaximumAge() {
        nodes.put("a", node("a", "1", null));
        written.wroteNode("plan-1", "1", node("a", "2", "plan-1"));
        clock.advance(ReadYourWrites.MAX_AGE.plusSeconds(1));
        assertThat(written.over(informers()).nodesCordonedBy("plan-1")).isEmpty();
    }

    @Test
    void aWallClockStepDoesNotForgetACordonTheCacheHasNotShownYet() {
        nodes.put("a", node("a", "1", null));
        written.wroteNode("plan-1", "1", node("a", "2", "plan-1"));
        clock.stepWallClock(Duration.ofMinutes(25)); // NTP or a person set the clock: no time passed
        assertThat(written.over(informers()).nodesCordonedBy("plan-1")).extracting(n -> n.getMetadata().getName())
                .containsExactly("a");
    }

    @Test
    void aWriteDecidedOnOurPreviousWriteStandsInWhileTheCacheLagsBoth() {
        // Found by the protocol simulation: plan two repaired a ledger (6), told the node Rebooted on that (7), and with
        // the cache still at 5 the overlay took 5 for "a later version" and dropped both: plan one did not see the reboot.
        luns.put("a", lun("a", "5", "plan-2", NodeStep.Prepared));
        written.wroteLun("plan-2", "5", lun("a", "6", "plan-2", NodeStep.Prepared));
        written.wroteLun("plan-2", "6", lun("a", "7", "plan-2", NodeStep.Rebooted));
        assertThat(written.over(informers()).lun("a")).get().extracting(l -> l.getSpec().getInstruction().getStep())
                .isEqualTo(NodeStep.Rebooted);
        luns.put("a", lun("a", "6", "plan-2", NodeStep.Prepared));
        assertThat(written.over(informers()).lun("a")).get().extracting(l -> l.getSpec().getInstruction().getStep())
                .isEqualTo(NodeStep.Rebooted);
        luns.put("a", lun("a", "7", "plan-2", NodeStep.Rebooted));
        assertThat(written.over(informers()).lun("a")).get().extracting(l -> l.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(written.remembered()).isZero();
    }

    @Test
    void aReleaseLeavesTheHolderIndexAtOnce() {
        luns.put("a", lun("a", "5", "plan-1", NodeStep.Prepared));
        assertThat(written.over(informers()).lunsHeldBy("plan-1")).hasSize(1);
        written.wroteLun("plan-1", "5", lun("a", "6", null, null));
        assertThat(written.over(informers()).lunsHeldBy("plan-1")).isEmpty();
        written.wroteLun("plan-2", "5", lun("a", "6", "plan-2", NodeStep.Prepared));
        assertThat(written.over(informers()).lunsHeldBy("plan-2")).extracting(l -> l.getMetadata().getName())
                .containsExactly("a");
    }

    /**
     * Two plans select the same two nodes, maxUnavailable 1 each; plan 1 holds a, plan 2 holds b, both prepared.
     * Plan 1 cordons a. With a cache that does not show that cordon yet, plan 2 would cordon b as well (both
     * budgets exceeded); with its own writes laid over the cache it waits.
     */
    @Test
    void aSecondPlanSeesTheFirstPlansCordonBeforeTheInformerDoes() {
        for (String n : List.of("a", "b")) {
            nodes.put(n, node(n, "1", null));
        }
        luns.put("a", preparedFor("a", "plan-1"));
        luns.put("b", preparedFor("b", "plan-2"));
        RolloutPlanner planner = new RolloutPlanner();
        FleetSnapshot snapshot = new FleetSnapshot(Views.BootIdentity.NODE_INFO);

        Decision first = planner.plan(plan("plan-1"), snapshot.entries(liveUpdate("plan-1"), written.over(informers())),
                T0, BlockerCheck.NONE);
        assertThat(first.actions()).containsExactly(new NodeAction.Cordon("a", "1"));
        written.wroteNode("plan-1", "1", node("a", "2", "plan-1")); // what the API server returned; the informer has not seen it

        Decision laggingCacheOnly = planner.plan(plan("plan-2"), snapshot.entries(liveUpdate("plan-2"), informers()),
                T0, BlockerCheck.NONE);
        assertThat(laggingCacheOnly.actions()).as("the failure this guards against")
                .containsExactly(new NodeAction.Cordon("b", "1"));

        Decision second = planner.plan(plan("plan-2"), snapshot.entries(liveUpdate("plan-2"), written.over(informers())),
                T0, BlockerCheck.NONE);
        assertThat(second.actions()).isEmpty();
    }

    private FleetSnapshot.Caches informers() {
        return new MapCaches(nodes, luns);
    }

    private static Node node(String name, String rv, String cordonedBy) {
        return new NodeTrimmer().apply(new NodeBuilder().withNewMetadata().withName(name).withResourceVersion(rv)
                .withLabels(Map.of("pool", "kvm")).withAnnotations(cordonedBy == null ? Map.of()
                        : Map.of(Annotations.CORDONED_BY, cordonedBy)).endMetadata()
                .withNewSpec().withUnschedulable(cordonedBy != null).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withBootID("boot-" + name).withKernelVersion("7.1.0").endNodeInfo().endStatus().build());
    }

    private static LiveUpdateNode lun(String name, String rv, String holder, NodeStep step) {
        LiveUpdateNode l = new LiveUpdateNode();
        l.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion(rv).withGeneration(1L).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        if (holder != null) {
            NodeInstruction in = new NodeInstruction();
            PlanReference ref = new PlanReference();
            ref.setUid(holder);
            ref.setName(holder);
            ref.setGeneration(1L);
            in.setPlan(ref);
            in.setStep(step);
            spec.setInstruction(in);
            l.getMetadata().setAnnotations(Map.of(Annotations.LEDGER,
                    LedgerCodec.encode(new Ledger(holder, 1, T0, T0, null, null, null, null))));
        }
        l.setSpec(spec);
        return l;
    }

    private static LiveUpdateNode preparedFor(String name, String planUid) {
        LiveUpdateNode l = lun(name, "1", planUid, NodeStep.Prepared);
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        NodeInventory inv = new NodeInventory();
        inv.setCapable(true);
        s.setInventory(inv);
        PlanReference ref = new PlanReference();
        ref.setUid(planUid);
        ref.setName(planUid);
        s.setPlan(ref);
        s.setPhase(NodePhase.Prepared);
        s.setObservedGeneration(1L);
        l.setStatus(s);
        return l;
    }

    private static LiveUpdate liveUpdate(String uid) {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName(uid).withUid(uid).withGeneration(1L).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build());
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease("7.2.0");
        kernel.setImage("/boot/vmlinuz-7.2.0");
        spec.setKernel(kernel);
        RolloutStrategy strategy = new RolloutStrategy();
        strategy.setMaxUnavailable(new IntOrString(1));
        strategy.setCanaryNodes(0);
        spec.setStrategy(strategy);
        lu.setSpec(spec);
        return lu;
    }

    private static RolloutPlanner.Plan plan(String uid) {
        LiveUpdate lu = liveUpdate(uid);
        return new RolloutPlanner.Plan(uid, uid, 1L, false, PlanSettings.from(lu.getSpec()), null);
    }

    /** A clock tests move by hand: time passing moves the wall and the monotonic reading, a step only the wall. */
    static final class MutableClock extends Clock {
        private Instant now;
        private long elapsedNanos;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
            elapsedNanos += d.toNanos();
        }

        void stepWallClock(Duration d) {
            now = now.plus(d);
        }

        long elapsedNanos() {
            return elapsedNanos;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
