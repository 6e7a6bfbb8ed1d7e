package dev.liveupdate.simulation;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.List;

/**
 * Bugs the simulation found that are recorded, not yet fixed (docs/testing.md, "Findings"): a run that ends in one of
 * them is counted and printed with its replay property but does not fail the tier, so the tier keeps guarding
 * everything else. {@code -Dsim.strict=true} fails on them too. Remove an entry when its bug is fixed.
 */
final class KnownFindings {
    private KnownFindings() {
    }

    /** The finding a failed run's end state shows, or null when it is a new failure. */
    static String classify(String violation, List<LiveUpdateNode> luns, List<dev.liveupdate.api.v1alpha1.LiveUpdate> plans) {
        if (violation != null && violation.startsWith("liveness") && luns.stream().anyMatch(KnownFindings::restoreWithoutInstruction)) {
            return "F1: a node re-registered (Node deleted and added again) while held at Updated keeps reporting the old"
                    + " restore with no instruction; no plan takes it again (AgentBusy) and nothing tells it Finished";
        }
        if (violation != null && violation.startsWith("liveness") && luns.stream().anyMatch(l -> l.getStatus() == null)) {
            return "F4: a LiveUpdateNode the agent re-created (its Node was deleted and registered again) stays without"
                    + " status: the reporter publishes only changes, so the operator sees the node as NotCapable until"
                    + " something else changes";
        }
        if (violation != null && violation.startsWith("liveness") && AgentRestartExpectation.CURRENT == AgentRestartExpectation.FAILS_SESSIONS_LOST
                && luns.stream().anyMatch(KnownFindings::failedHeldAtRebooted)) {
            return "F3: an agent restart after the Rebooted instruction and before the kexec fails the node (SessionsLost); the"
                    + " node stays held at Rebooted and cordoned, counts against maxUnavailable for ever, and a plan with"
                    + " failures left (maxFailures > 0) waits for budget that never frees (issue #14 item 4)";
        }
        return null;
    }

    private static boolean failedHeldAtRebooted(LiveUpdateNode l) {
        return l.getSpec().getInstruction() != null && l.getSpec().getInstruction().getStep() == dev.liveupdate.api.v1alpha1.NodeStep.Rebooted
                && l.getStatus() != null && l.getStatus().getPhase() == NodePhase.Failed;
    }

    private static boolean restoreWithoutInstruction(LiveUpdateNode l) {
        return l.getSpec().getInstruction() == null && l.getStatus() != null
                && (l.getStatus().getPhase() == NodePhase.Updated || l.getStatus().getPhase() == NodePhase.Restoring);
    }
}
