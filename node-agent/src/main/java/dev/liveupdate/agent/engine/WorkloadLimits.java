package dev.liveupdate.agent.engine;

import java.time.Duration;

/**
 * What one workload (owner: a pod, or a host process by uid and cgroup) may hold through the socket, and how long the
 * files of a pod that is gone are kept.
 *
 * @param maxFilesPerOwner files one owner may hold at once, whatever their state (held, preserved, restored, lost);
 *                         1..{@value #MAX_FILES_PER_OWNER}, so a status reply always fits one frame
 *                         ({@link WorkloadStatus})
 * @param maxBytesPerOwner bytes (the memfds' current sizes) one owner may hold; 0: no limit
 * @param releaseGrace     how long a pod must be gone before its files are released ({@link GoneOwners})
 */
public record WorkloadLimits(int maxFilesPerOwner, long maxBytesPerOwner, Duration releaseGrace) {
    /** The most files one owner may be allowed: its status reply then still fits the 64 KiB frame. */
    public static final int MAX_FILES_PER_OWNER = 128;
    public static final WorkloadLimits DEFAULT = new WorkloadLimits(64, 0, Duration.ofMinutes(10));

    public WorkloadLimits {
        if (maxFilesPerOwner < 1 || maxFilesPerOwner > MAX_FILES_PER_OWNER) {
            throw new IllegalArgumentException("max-files-per-owner must be 1.." + MAX_FILES_PER_OWNER + " (a workload's status must fit one"
                    + " 64 KiB reply), got " + maxFilesPerOwner);
        }
        if (maxBytesPerOwner < 0) {
            throw new IllegalArgumentException("max-bytes-per-owner must be 0 (no limit) or positive, got " + maxBytesPerOwner);
        }
        if (releaseGrace == null || releaseGrace.isNegative()) {
            throw new IllegalArgumentException("release-grace must be zero or positive, got " + releaseGrace);
        }
    }
}
