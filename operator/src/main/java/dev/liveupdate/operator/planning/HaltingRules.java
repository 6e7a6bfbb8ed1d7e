package dev.liveupdate.operator.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules that halt a plan going on normally, consulted once per pass after every node was looked at (so nodes in
 * flight have already been moved on and complete): more failed nodes than {@code maxFailures}, then the blackout
 * budget over the finished nodes. A halted plan starts no wave and asks no node to reboot until the limit is raised
 * or removed; every pass judges again from the nodes' outcomes, so the halt needs no state of its own.
 */
final class HaltingRules {
    private HaltingRules() {
    }

    static void settle(PassContext pass) {
        pass.mode = pass.mode.afterFailures(pass.count(NodeBucket.FAILED), pass.settings.maxFailures());
        pass.blackout = BlackoutBudgetRule.judge(pass.settings.blackoutBudget(), finishedByReboot(pass.tracked));
        if (pass.mode == PlanMode.NORMAL && pass.blackout.isExceeded()) {
            pass.mode = PlanMode.HALTED;
        }
    }

    private static List<BlackoutBudgetRule.Measured> finishedByReboot(List<Tracked> tracked) {
        List<BlackoutBudgetRule.Measured> finished = new ArrayList<>();
        for (Tracked t : tracked) {
            if (t.bucket == NodeBucket.FINISHED && t.finishedByReboot) {
                finished.add(new BlackoutBudgetRule.Measured(t.name(), t.blackoutMillis));
            }
        }
        return finished;
    }
}
