package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Second line of defence when the host state dir lost the update record (wiped, or a new
 * hostPath): rebuild what the status reported before the reboot. Only Rebooting/Restoring/Updated
 * are trusted, because only then was the status written and acknowledged before the kexec.
 */
final class RecordFromStatus {
    private RecordFromStatus() {
    }

    static Optional<UpdateRecord> of(LiveUpdateNodeStatus s, String currentBoot) {
        if (s == null || s.getPlan() == null || s.getBoot() == null || s.getBoot().getBootIDBefore() == null || s.getBlackout() == null
                || s.getBlackout().getRebootIssuedAt() == null) {
            return Optional.empty();
        }
        NodePhase p = s.getPhase();
        if (p != NodePhase.Rebooting && p != NodePhase.Restoring && p != NodePhase.Updated) {
            return Optional.empty();
        }
        List<UpdateRecord.SessionRecord> sessions = new ArrayList<>();
        if (s.getSessions() != null) {
            for (SessionStatus st : s.getSessions()) {
                // Restore settings are not in the status; the defaults (AllTokensReclaimed, 10m, Fail) are the safe ones.
                sessions.add(new UpdateRecord.SessionRecord(st.getName(), st.getRequired() == null || st.getRequired(), 1, null, null, null,
                        st.getPreservedTokens() == null ? List.of() : st.getPreservedTokens()));
            }
        }
        return Optional.of(new UpdateRecord(s.getPlan().getName(), s.getPlan().getUid(),
                s.getPlan().getGeneration() == null ? 0 : s.getPlan().getGeneration(), s.getBoot().getBootIDBefore(),
                s.getBoot().getReleaseBefore(), null, null, s.getBlackout().getRebootIssuedAt(), sessions));
    }
}
