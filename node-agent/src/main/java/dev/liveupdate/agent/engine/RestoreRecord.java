package dev.liveupdate.agent.engine;

import java.util.List;
import java.util.Map;

/**
 * Progress of the restore in the new boot, on host disk: which sessions the agent already
 * retrieved from the kernel, which tokens workloads took back, and whether FINISH was issued. A
 * restarted agent cannot retrieve a session twice, so this is how it knows what was handed out.
 */
public record RestoreRecord(String planUid, String bootID, String deviceReopenedAt, String sessionsRestoredAt,
        List<String> retrievedSessions, Map<String, List<Long>> restoredTokens, String finishIssuedAt) {
}
