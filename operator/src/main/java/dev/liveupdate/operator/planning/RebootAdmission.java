package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.List;
import java.util.Optional;

/**
 * Where a prepared node is asked to reboot: only in the active wave, once its barrier holds, the window is open and
 * the soak is over; in rollout order, while the unavailability budget allows; a Ready node with a boot ID, cordoned
 * first (when the plan cordons) and asked for Rebooted once the cordon is seen.
 */
final class RebootAdmission {
    private final PassContext pass;
    private final UnavailabilityBudget budget;
    private final BlockerCheck blockers;
    private boolean windowShut;

    RebootAdmission(PassContext pass, UnavailabilityBudget budget) {
        this(pass, budget, BlockerCheck.NONE);
    }

    /**
     * @param blockers asked again at the moment of disruption: right before the cordon, and once the cordon is seen,
     *     right before the reboot instruction (a node stays schedulable through its prepare, for days in a staged plan)
     */
    RebootAdmission(PassContext pass, UnavailabilityBudget budget, BlockerCheck blockers) {
        this.pass = pass;
        this.budget = budget;
        this.blockers = blockers == null ? BlockerCheck.NONE : blockers;
    }

    void admit() {
        PlanSettings s = pass.settings;
        if (!pass.mode.mayTakeStep() || !s.rebootsNodes()) {
            return;
        }
        WaveBarrier barrier = new WaveBarrier(pass);
        Optional<Integer> active = barrier.activeWave();
        if (active.isEmpty()) {
            return;
        }
        int wave = active.get();
        WaveBarrier.Readiness readiness = barrier.readiness(wave);
        List<Tracked> candidates = readiness.candidates();
        if (candidates.isEmpty()) {
            return;
        }
        if (s.barrier() && !readiness.barrierHolds()) {
            pass.waitingFor = "barrier: wave " + wave + " is not fully prepared";
            return;
        }
        if (!new WindowGate(pass).open()) {
            windowShut = true;
            return;
        }
        if (!new Soak(pass).soaked(wave)) {
            return;
        }
        candidates.sort(RolloutOrder.BY_NAME);
        for (Tracked t : candidates) {
            admit(t);
        }
    }

    private void admit(Tracked t) {
        NodeView n = t.node();
        String uid = pass.uid;
        if (t.lunWritten || t.nodeWritten) {
            return;
        }
        if (!n.ready() || n.unschedulable() && !n.cordonedBy(uid)) {
            pass.waitingFor = "node " + t.name() + " is " + (n.ready() ? "cordoned by someone else" : "not Ready");
            return;
        }
        if (n.maintenanceByOthers() != null) {
            // Held back like a blocker; a cordon of ours stays (another actor may rely on the node staying cordoned).
            t.note = Reasons.NODE_IN_MAINTENANCE + ": " + n.maintenanceByOthers();
            pass.waitingFor = "node " + t.name() + " is in maintenance by another actor: " + n.maintenanceByOthers();
            return;
        }
        if (n.bootID() == null) {
            pass.waitingFor = "node " + t.name() + " reports no boot ID";
            return;
        }
        t.rebootCandidate = false; // admitted or waiting for budget: either way not uncordoned below
        // A node we cordoned already counts as unavailable; the reboot itself is checked again because
        // other nodes may have become unavailable since the cordon.
        boolean counted = n.cordonedBy(uid);
        if (!budget.admit(counted)) {
            pass.waitingFor = FailedNodesHoldingBudget.waitingFor(pass, budget);
            // Other nodes went down since we cordoned this one: it must not stay cordoned (and counted) for as long
            // as they do. It is cordoned again when the budget allows.
            pass.writes.uncordonIfOurs(t);
            return;
        }
        // Only nodes the budget admits are asked about (bounded look-ups); a blocked one keeps its share for this
        // pass only, the conservative side.
        if (blocked(t)) {
            return;
        }
        if (pass.settings.cordon() && !n.cordonedBy(uid)) {
            pass.writes.cordon(t);
            return; // ask for the reboot once the cordon is seen
        }
        t.disruptive = true;
        t.bucket = NodeBucket.REBOOTING;
        pass.writes.issue(t, NodeStep.Rebooted, t.ledger.withStep(pass.now).withBootBefore(n.bootID()), null);
    }

    /**
     * Safety invariant 8: a blocker pod on the node holds it back even after its prepare. Checked before the cordon
     * and again after it (the cordon keeps new pods off, so what this second look finds is all there is); a node we
     * cordoned for nothing is uncordoned and the check repeats later. Bounded by the budget: only nodes about to be
     * disrupted are asked about.
     */
    private boolean blocked(Tracked t) {
        if (!pass.settings.hasBlockers()) {
            return false;
        }
        Optional<String> pod = blockers.blockingPod(t.name());
        if (pod.isEmpty()) {
            return false;
        }
        t.note = Reasons.BLOCKER_POD + ": " + pod.get();
        pass.writes.uncordonIfOurs(t);
        pass.waitingFor = "node " + t.name() + " is held back by " + pod.get();
        pass.wakeAt(pass.now.plus(WaveStart.BLOCKER_RECHECK));
        return true;
    }

    /** A node we cordoned for a reboot that may not happen now (paused, halted, window shut) is uncordoned. */
    void uncordonWaitingNodes() {
        for (Tracked t : pass.tracked) {
            if (t.rebootCandidate && t.node() != null && t.node().cordonedBy(pass.uid)
                    && (pass.mode != PlanMode.NORMAL || windowShut)) {
                pass.writes.uncordonIfOurs(t);
            }
        }
    }
}
