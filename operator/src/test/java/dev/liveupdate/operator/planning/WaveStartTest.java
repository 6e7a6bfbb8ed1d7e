package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaveStartTest {

    private static List<String> started(PassContext pass) {
        return Passes.actions(pass).stream().filter(a -> a instanceof NodeAction.IssueStep is
                && is.step() == NodeStep.Prepared).map(NodeAction::node).toList();
    }

    private static PassContext start(World w, World.SimPlan p, BlockerCheck blockers) {
        PassContext pass = Passes.classified(w, p);
        new WaveStart(pass, blockers).start(new UnavailabilityBudget(pass).max());
        return pass;
    }

    @Test
    void theCanaryWaveHasCanaryNodesInRolloutOrder() {
        World w = new World().nodes(6);
        World.SimPlan p = w.plan("p", World.spec(3, 2));
        PassContext pass = start(w, p, null);
        assertThat(started(pass)).containsExactly("node-000", "node-001");
        assertThat(Passes.node(pass, "node-000").wave).isEqualTo(1);
        assertThat(pass.events).extracting(PlanEvent::message).containsExactly("wave 1 (canary) started with 2 node(s)");
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_PREPARE));
    }

    @Test
    void laterWavesHaveTheBudgetsSizeAndTheNextNumber() {
        World w = new World().nodes(6);
        World.SimPlan p = w.plan("p", World.spec(3, 1));
        finished(w, p, "node-000", 1);
        PassContext pass = start(w, p, null);
        assertThat(started(pass)).containsExactly("node-001", "node-002", "node-003");
        assertThat(Passes.node(pass, "node-001").wave).isEqualTo(2);
        assertThat(pass.events).extracting(PlanEvent::message).containsExactly("wave 2 started with 3 node(s)");
        assertThat(pass.waveDurations).as("the canary took from its start to its outcome")
                .containsExactly(Duration.ofMinutes(5));
    }

    @Test
    void withoutCanaryTheFirstWaveHasTheBudgetsSize() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        PassContext pass = start(w, p, null);
        assertThat(started(pass)).containsExactly("node-000", "node-001");
        assertThat(pass.events).extracting(PlanEvent::message).containsExactly("wave 1 started with 2 node(s)");
    }

    @Test
    void theRolloutOrderIsByNameWhateverOrderTheNodesCameIn() {
        World w = new World().nodes(5);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        List<NodeEntry> shuffled = new ArrayList<>(w.entries(p));
        Collections.reverse(shuffled);
        PassContext pass = new PassContext(Passes.input(p), shuffled, w.now);
        FreeNodeClassifier free = new FreeNodeClassifier(pass);
        pass.tracked.forEach(free::classify);
        new WaveStart(pass, null).start(2);
        assertThat(started(pass)).containsExactly("node-000", "node-001");
    }

    @Test
    void noWaveStartsWhileOneIsActive() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        Passes.hold(w, p, "node-003", NodeStep.Prepared, 1, NodePhase.Preparing);
        PassContext pass = start(w, p, null);
        assertThat(started(pass)).isEmpty();
        assertThat(pass.events).isEmpty();
    }

    @Test
    void noWaveStartsInAPausedPlanOrWhileTheWindowIsShut() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setPaused(true);
        assertThat(started(start(w, p, null))).isEmpty();
        p.spec.setPaused(false);
        MaintenanceWindow mw = new MaintenanceWindow();
        mw.setStart("22:00"); // World's clock is at 10:00 UTC
        mw.setEnd("23:00");
        mw.setTimeZone("UTC");
        p.spec.setWindow(mw);
        PassContext shut = start(w, p, null);
        assertThat(started(shut)).isEmpty();
        assertThat(shut.waitingFor).startsWith("maintenance window");
        assertThat(shut.wakeUp).isEqualTo(w.now.plus(Duration.ofHours(12)));
    }

    @Test
    void aNodeRunningABlockerPodIsHeldBackAndTheNextTakesItsPlace() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        p.spec.setBlockers(List.of(new dev.liveupdate.api.v1alpha1.Blocker()));
        PassContext pass = start(w, p, node -> node.equals("node-001") ? Optional.of("db/postgres-0")
                : Optional.empty());
        assertThat(started(pass)).containsExactly("node-000", "node-002");
        Tracked blocked = Passes.node(pass, "node-001");
        assertThat(blocked.bucket).isEqualTo(NodeBucket.BLOCKED);
        assertThat(blocked.note).isEqualTo(Reasons.BLOCKER_POD + ": db/postgres-0");
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(WaveStart.BLOCKER_RECHECK));
    }

    @Test
    void blockerLookUpsAreBoundedPerPass() {
        World w = new World().nodes(WaveStart.MAX_BLOCKER_CHECKS + 20);
        World.SimPlan p = w.plan("p", World.spec(5, 0));
        p.spec.setBlockers(List.of(new dev.liveupdate.api.v1alpha1.Blocker()));
        int[] asked = {0};
        PassContext pass = start(w, p, node -> {
            asked[0]++;
            return Optional.of("pod on " + node);
        });
        assertThat(asked[0]).isEqualTo(WaveStart.MAX_BLOCKER_CHECKS);
        assertThat(started(pass)).isEmpty();
        assertThat(pass.count(NodeBucket.BLOCKED)).isEqualTo(WaveStart.MAX_BLOCKER_CHECKS);
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(WaveStart.BLOCKER_RECHECK));
    }

    @Test
    void blockersAreNotAskedAboutWhenThePlanHasNone() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        PassContext pass = start(w, p, node -> {
            throw new AssertionError("asked about " + node);
        });
        assertThat(started(pass)).hasSize(2);
    }

    /** The plan took {@code node} through wave {@code wave}: started 10 minutes ago, finished 5 minutes ago. */
    private static void finished(World w, World.SimPlan p, String node, int wave) {
        w.luns.get(node).outcomes.put(p.uid, new Outcome(UpdateResult.Finished, null, null, wave,
                w.now.minus(Duration.ofMinutes(10)), w.now.minus(Duration.ofMinutes(5)), true));
    }
}
