package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Owner;
import java.util.List;
import java.util.Map;

/**
 * The agent's own record of an update in progress, kept on the host disk (state dir) so that it
 * survives agent restarts and the kexec itself. It is written when the sessions are created (so a
 * restarted agent knows they existed), again when the node is prepared (the tokens) and once more
 * right before reboot (rebootIssuedAt).
 */
public record UpdateRecord(
        String planName,
        String planUid,
        long planGeneration,
        String bootIDBefore,
        String releaseBefore,
        String targetRelease,
        String startedAt,
        String rebootIssuedAt,
        List<SessionRecord> sessions) {

    /**
     * One declared session and the tokens preserved in it. Restore settings are copied so the new boot does not depend
     * on the instruction. {@code owners}: who handed each token over ({@link Owner#key()}), so that after the kexec
     * only that workload gets it back (safety invariant 10); a token without an entry (a record of an older agent, one
     * rebuilt from the status) belongs to nobody.
     */
    public record SessionRecord(String name, boolean required, int minFiles, String rule, String timeout, String onTimeout, List<Long> tokens,
                                Map<Long, String> owners) {
        public SessionRecord {
            owners = owners == null ? Map.of() : Map.copyOf(owners);
        }

        public SessionRecord(String name, boolean required, int minFiles, String rule, String timeout, String onTimeout, List<Long> tokens) {
            this(name, required, minFiles, rule, timeout, onTimeout, tokens, Map.of());
        }

        /** Who handed {@code token} over. */
        public Owner ownerOf(long token) {
            return Owner.fromKey(owners.get(token));
        }
    }

    public UpdateRecord withSessions(List<SessionRecord> newSessions) {
        return new UpdateRecord(planName, planUid, planGeneration, bootIDBefore, releaseBefore, targetRelease, startedAt, rebootIssuedAt, newSessions);
    }

    public UpdateRecord withRebootIssuedAt(String at) {
        return new UpdateRecord(planName, planUid, planGeneration, bootIDBefore, releaseBefore, targetRelease, startedAt, at, sessions);
    }
}
