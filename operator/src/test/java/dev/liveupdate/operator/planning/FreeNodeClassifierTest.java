package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import org.junit.jupiter.api.Test;

class FreeNodeClassifierTest {

    private final World w = new World().nodes(2);
    private final World.SimPlan p = w.plan("p", World.spec(1, 1));

    private Tracked classify(String node) {
        return Passes.node(Passes.classified(w, p), node);
    }

    @Test
    void aFreeCapableReadyNodeIsPending() {
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.PENDING);
        assertThat(t.done).isFalse();
    }

    @Test
    void aNodeWithAnOutcomeCountsAsItEndedAndIsNeverStartedAgain() {
        w.luns.get("node-000").outcomes.put(p.uid, new Outcome(UpdateResult.Failed, "UpdateFailed", "boom", 2,
                w.now.minusSeconds(60), w.now.minusSeconds(30), true));
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.FAILED);
        assertThat(t.wave).isEqualTo(2);
        assertThat(t.settledAt).isEqualTo(w.now.minusSeconds(30));
        assertThat(t.failure).isEqualTo(new Failure("UpdateFailed", "boom", w.now.minusSeconds(30), true));
        assertThat(t.done && t.settled).isTrue();
    }

    @Test
    void aNodeHeldByAnotherPlanIsAConflict() {
        World.SimPlan other = w.plan("other", World.spec(1, 1));
        Passes.hold(w, other, "node-001", NodeStep.Prepared, 1, NodePhase.Preparing);
        PassContext pass = Passes.classified(w, p);
        Tracked t = Passes.node(pass, "node-001");
        assertThat(t.bucket).isEqualTo(NodeBucket.BLOCKED);
        assertThat(t.note).isEqualTo(Reasons.HELD_BY_OTHER_PLAN);
        assertThat(pass.conflicts).containsOnlyKeys("other");
        assertThat(pass.conflicts.get("other")).containsExactly("node-001");
    }

    @Test
    void aNodeWithoutAgentOrCapabilityIsSkipped() {
        w.nodes.get("node-000").hasLun = false;
        w.nodes.get("node-001").capable = false;
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.SKIPPED);
        assertThat(Passes.node(pass, "node-000").note).startsWith(Reasons.NO_AGENT + ":");
        assertThat(Passes.node(pass, "node-001").bucket).isEqualTo(NodeBucket.SKIPPED);
        assertThat(Passes.node(pass, "node-001").note).isEqualTo(Reasons.NOT_CAPABLE + ": no /dev/liveupdate");
        assertThat(Passes.node(pass, "node-001").done).isTrue();
    }

    @Test
    void anAgentRememberingAnUpdateByThisPlanIsNotStartedAgain() {
        World.SimLun l = w.luns.get("node-000");
        l.lastUpdatePlan = p.uid;
        l.lastUpdateResult = UpdateResult.Finished;
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.SKIPPED);
        assertThat(t.note).startsWith(Reasons.HANDLED_BEFORE);
        l.lastUpdateResult = UpdateResult.Cancelled; // a cancelled update may start again
        assertThat(classify("node-000").bucket).isEqualTo(NodeBucket.PENDING);
    }

    @Test
    void aNodeAlreadyRunningTheTargetCountsAsFinished() {
        w.nodes.get("node-000").release = World.TARGET;
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.FINISHED);
        assertThat(t.note).isEqualTo(Reasons.ALREADY_AT_TARGET);
        assertThat(t.reachedTarget).isTrue();
    }

    @Test
    void aBusyAgentANotReadyOrSomeoneElsesCordonedNodeIsBlockedForNow() {
        World.SimLun l = w.luns.get("node-000");
        l.statusPlan = "uid-earlier";
        l.phase = NodePhase.Cancelled;
        assertThat(classify("node-000").note).isEqualTo(Reasons.AGENT_BUSY
                + ": agent still reports Cancelled for an earlier instruction");
        l.statusPlan = null;
        l.phase = NodePhase.Idle;
        w.nodes.get("node-000").ready = false;
        assertThat(classify("node-000").note).isEqualTo(Reasons.NODE_NOT_READY);
        w.nodes.get("node-000").ready = true;
        w.nodes.get("node-000").unschedulable = true;
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.BLOCKED);
        assertThat(t.note).isEqualTo(Reasons.NODE_CORDONED);
        assertThat(t.done).isFalse();
    }

    @Test
    void aLeftOverCordonMarkIsRemovedAndTheNodeNotCountedOnceUnselected() {
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        w.nodes.get("node-000").labels.put("pool", "gone");
        p.selector = l -> !"gone".equals(l.get("pool"));
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.actions(pass)).containsExactly(new NodeAction.Uncordon("node-000", "1"));
        assertThat(Passes.node(pass, "node-000").bucket).isNull();
        assertThat(pass.writes.cordonsLeft()).isTrue();
    }

    @Test
    void aPlanBeingDeletedDropsABoundedNumberOfOutcomesPerPass() {
        World big = new World().nodes(PlanWrites.MAX_FORGETS_PER_PASS + 3);
        World.SimPlan q = big.plan("q", World.spec(1, 1));
        big.luns.values().forEach(l -> l.outcomes.put(q.uid, new Outcome(UpdateResult.Finished, null, null, 1,
                big.now, big.now, true)));
        q.deleting = true;
        PassContext pass = Passes.classified(big, q);
        assertThat(Passes.actions(pass)).hasSize(PlanWrites.MAX_FORGETS_PER_PASS)
                .allMatch(a -> a instanceof NodeAction.ForgetOutcome);
        assertThat(pass.released()).as("outcomes are left for the next pass").isFalse();
    }

    @Test
    void anotherActorsMaintenanceHoldsAFreeNodeBackWithItsReason() {
        w.nodes.get("node-000").maintenance = new NodeMaintenance(
                "MaintenanceInProgress (FirmwareUpgrade: BIOS update)", java.util.Map.of(),
                java.util.Set.of("MaintenanceInProgress"));
        w.nodes.get("node-000").unschedulable = true; // its own cordon: the maintenance says more
        Tracked t = classify("node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.BLOCKED);
        assertThat(t.note).isEqualTo(Reasons.NODE_IN_MAINTENANCE
                + ": MaintenanceInProgress (FirmwareUpgrade: BIOS update)");
        assertThat(classify("node-001").bucket).isEqualTo(NodeBucket.PENDING);
    }

    @Test
    void ourOwnLifecycleConditionsHoldNothingBack() {
        w.nodes.get("node-000").maintenance = new NodeMaintenance(null,
                java.util.Map.of("MaintenanceInProgress", "LiveUpdate other: ..."), java.util.Set.of());
        assertThat(classify("node-000").bucket).isEqualTo(NodeBucket.PENDING);
    }
}
