package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.CordonPolicy;
import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebootAdmissionTest {

    private static PassContext admit(World w, World.SimPlan p) {
        PassContext pass = Passes.classified(w, p);
        RebootAdmission reboots = new RebootAdmission(pass, new UnavailabilityBudget(pass));
        reboots.admit();
        reboots.uncordonWaitingNodes();
        return pass;
    }

    private static List<String> describe(PassContext pass) {
        return Passes.actions(pass).stream().map(a -> a.getClass().getSimpleName() + " " + a.node()
                + (a instanceof NodeAction.IssueStep is ? " " + is.step() : "")).toList();
    }

    private static void cordonedByUs(World w, World.SimPlan p, String node) {
        w.nodes.get(node).unschedulable = true;
        w.nodes.get(node).cordonedBy = p.uid;
    }

    @Test
    void aPreparedNodeIsCordonedFirstAndAskedToRebootOnceTheCordonIsSeen() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        assertThat(describe(admit(w, p))).containsExactly("Cordon node-000");

        cordonedByUs(w, p, "node-000");
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).containsExactly("IssueStep node-000 Rebooted");
        NodeAction.IssueStep reboot = (NodeAction.IssueStep) Passes.actions(pass).get(0);
        assertThat(reboot.ledger().bootBefore()).as("the boot to compare with afterwards")
                .isEqualTo(w.nodes.get("node-000").bootID);
        assertThat(reboot.ledger().stepSince()).isEqualTo(w.now);
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.REBOOTING);
    }

    @Test
    void aRebootTimeoutFreesTheBudgetOnlyOnceTheFailureIsRecorded() {
        // Found by the protocol simulation: the failure's ledger write lost a race (409) with the agent's status write,
        // while the next node's Rebooted instruction, admitted on the budget that failure freed, landed.
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setCordon(CordonPolicy.Never);
        p.spec.getStrategy().setMaxFailures(1);
        Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        w.advance(PlanSettings.DEFAULT_REBOOT);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Prepared);
        assertThat(describe(admit(w, p))).as("the failure is recorded first").containsExactly("UpdateLedger node-000");

        World.SimLun failed = w.luns.get("node-000");
        failed.ledger = failed.ledger.withFailure(new Failure(Reasons.REBOOT_TIMEOUT, "not verified", w.now, true));
        assertThat(describe(admit(w, p))).containsExactly("IssueStep node-001 Rebooted");
    }

    @Test
    void withoutCordonThePreparedNodeIsAskedToRebootAtOnce() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setCordon(CordonPolicy.Never);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Prepared);
        assertThat(describe(admit(w, p))).containsExactly("IssueStep node-001 Rebooted");
    }

    @Test
    void theBudgetAdmitsInRolloutOrderAndSaysWhatTheRestWaitFor() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        p.spec.getStrategy().setBarrier(false);
        w.nodes.get("node-003").ready = false; // uses one of the two slots
        for (String n : List.of("node-002", "node-001", "node-000")) {
            Passes.hold(w, p, n, NodeStep.Prepared, 1, NodePhase.Prepared);
        }
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).containsExactly("Cordon node-000");
        assertThat(pass.waitingFor).isEqualTo("unavailability budget: 2/2 unavailable");
        assertThat(Passes.node(pass, "node-001").rebootCandidate).as("waiting for budget, not uncordoned").isFalse();
    }

    @Test
    void rebootsGoInRolloutOrderWhateverOrderTheNodesCameIn() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        for (String n : List.of("node-000", "node-001", "node-002")) {
            Passes.hold(w, p, n, NodeStep.Prepared, 1, NodePhase.Prepared);
        }
        List<NodeEntry> reversed = new ArrayList<>(w.entries(p));
        Collections.reverse(reversed);
        PassContext pass = new PassContext(Passes.input(p), reversed, w.now);
        HeldNodeNotes notes = new HeldNodeNotes(pass);
        pass.tracked.forEach(notes::read);
        HeldNodeTransition held = new HeldNodeTransition(pass);
        pass.tracked.forEach(held::handle);
        new RebootAdmission(pass, new UnavailabilityBudget(pass)).admit();
        assertThat(describe(pass)).containsExactly("Cordon node-000");
    }

    @Test
    void theBarrierKeepsTheWaveFromRebootingUntilEveryNodeIsPrepared() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Preparing);
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).isEmpty();
        assertThat(pass.waitingFor).isEqualTo("barrier: wave 1 is not fully prepared");
        p.spec.getStrategy().setBarrier(false);
        assertThat(describe(admit(w, p))).containsExactly("Cordon node-000");
    }

    @Test
    void aNodeThatIsNotReadyCordonedBySomeoneOrWithoutBootIdWaits() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(3, 0));
        for (String n : List.of("node-000", "node-001", "node-002")) {
            Passes.hold(w, p, n, NodeStep.Prepared, 1, NodePhase.Prepared);
        }
        w.nodes.get("node-000").ready = false;
        w.nodes.get("node-001").unschedulable = true;
        w.nodes.get("node-002").bootID = null;
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).isEmpty();
        assertThat(pass.waitingFor).as("the last one to wait says so").isEqualTo("node node-002 reports no boot ID");
        w.nodes.get("node-002").bootID = "b";
        assertThat(admit(w, p).waitingFor).isEqualTo("node node-001 is cordoned by someone else");
    }

    @Test
    void aNodeWeCordonedIsUncordonedWhenItsRebootMayNotHappenNow() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        cordonedByUs(w, p, "node-000");
        p.spec.setPaused(true);
        assertThat(describe(admit(w, p))).containsExactly("Uncordon node-000");

        p.spec.setPaused(false);
        MaintenanceWindow mw = new MaintenanceWindow();
        mw.setStart("22:00");
        mw.setEnd("23:00");
        mw.setTimeZone("UTC");
        p.spec.setWindow(mw);
        PassContext shut = admit(w, p);
        assertThat(describe(shut)).containsExactly("Uncordon node-000");
        assertThat(shut.waitingFor).startsWith("maintenance window");
    }

    @Test
    void theSoakHoldsTheRebootsOfTheNextWave() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 1));
        p.spec.getStrategy().setSoakTime("10m");
        w.luns.get("node-000").outcomes.put(p.uid, new Outcome(dev.liveupdate.api.v1alpha1.UpdateResult.Finished,
                null, null, 1, w.now.minusSeconds(120), w.now.minusSeconds(60), true));
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 2, NodePhase.Prepared);
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).isEmpty();
        assertThat(pass.soakUntil).isEqualTo(w.now.plusSeconds(540));
    }

    @Test
    void anotherActorsDrainHoldsAPreparedNodeBackBeforeTheCordonAndAfterIt() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        w.nodes.get("node-000").maintenance = new NodeMaintenance("DrainInProgress (Decommission)",
                java.util.Map.of(), java.util.Set.of("DrainInProgress"));
        PassContext pass = admit(w, p);
        assertThat(describe(pass)).as("neither cordoned nor rebooted").isEmpty();
        assertThat(pass.waitingFor).contains("node-000", "DrainInProgress (Decommission)");
        assertThat(Passes.node(pass, "node-000").note).startsWith(Reasons.NODE_IN_MAINTENANCE + ": ");

        cordonedByUs(w, p, "node-000"); // cordoned by us before the other actor began: kept, no reboot
        assertThat(describe(admit(w, p))).isEmpty();

        w.nodes.get("node-000").maintenance = null;
        assertThat(describe(admit(w, p))).containsExactly("IssueStep node-000 Rebooted");
    }
}
