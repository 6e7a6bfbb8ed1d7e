package dev.liveupdate.simulation;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
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
    static String classify(String violation, List<LiveUpdateNode> luns, List<LiveUpdate> plans) {
        if (violation == null || !violation.startsWith("liveness")) {
            return null;
        }
        if (luns.stream().anyMatch(KnownFindings::restoreWithoutInstruction)) {
            return "F1: a node re-registered (Node deleted and added again) while held at Updated keeps reporting the old"
                    + " restore with no instruction; no plan takes it again (AgentBusy) and nothing tells it Finished";
        }
        return null;
    }

    private static boolean restoreWithoutInstruction(LiveUpdateNode l) {
        return l.getSpec().getInstruction() == null && l.getStatus() != null
                && (l.getStatus().getPhase() == NodePhase.Updated || l.getStatus().getPhase() == NodePhase.Restoring);
    }
}
