package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;

/**
 * A node another plan told to reboot and whose agent has not reported the outcome yet: disruptive although it may
 * still look Ready and schedulable (that plan's cordon policy may be {@code Never}, and a kexec is imminent), so it
 * counts against every plan's budget (DESIGN.md invariant 2, "across plans"). A failure the holder recorded ends that:
 * from there only Ready and cordon count, as for this plan's own failed nodes.
 */
final class RebootingForAnotherPlan {
    private RebootingForAnotherPlan() {
    }

    static boolean test(LunView lun, String planUid) {
        if (lun == null || lun.free() || lun.heldBy(planUid) || lun.step() != NodeStep.Rebooted) {
            return false;
        }
        if (lun.ledger() != null && lun.ledger().failure() != null) {
            return false;
        }
        AgentReport a = lun.agent();
        boolean reported = a != null && lun.agentCaughtUp() && lun.instructionPlan().equals(a.planUid())
                && (a.phase() == NodePhase.Updated || a.phase() == NodePhase.Finished || a.phase() == NodePhase.Failed);
        return !reported;
    }
}
