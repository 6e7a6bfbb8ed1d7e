package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.List;

/**
 * What one owner may hold ({@link WorkloadLimits}): files in any state count (a lost or restored entry still names a
 * token of the owner's), bytes are the current sizes of the memfds the agent holds for it (a memfd can grow after it
 * was handed over, so they are read at each check). One owner at its limit does not stop another.
 */
final class OwnerQuota {
    private final EngineContext ctx;
    private final WorkloadLimits limits;

    OwnerQuota(EngineContext ctx, WorkloadLimits limits) {
        this.ctx = ctx;
        this.limits = limits;
    }

    WorkloadLimits limits() {
        return limits;
    }

    /**
     * Whether {@code owner} may add a file of {@code bytes} bytes; {@code replacing} (or null) is an entry of its own that the
     * new file takes the place of.
     */
    void checkRoomFor(Owner owner, long bytes, HeldFile replacing) throws ProtocolException {
        List<HeldFile> owned = ctx.files.ownedBy(owner).stream().filter(f -> f != replacing).toList();
        if (owned.size() + 1 > limits.maxFilesPerOwner()) {
            throw new ProtocolException(ErrorCode.QUOTA_EXCEEDED, owner + " already holds " + owned.size() + " files, the most one workload may"
                    + " (liveupdate.agent.socket.max-files-per-owner=" + limits.maxFilesPerOwner() + "); unpreserve some first");
        }
        if (limits.maxBytesPerOwner() > 0) {
            long held = bytes(owned);
            if (held + bytes > limits.maxBytesPerOwner()) {
                throw new ProtocolException(ErrorCode.QUOTA_EXCEEDED, owner + " holds " + held + " bytes; another " + bytes + " would pass the "
                        + limits.maxBytesPerOwner() + " one workload may (liveupdate.agent.socket.max-bytes-per-owner)");
            }
        }
    }

    /** The current size of the owner's memfds the agent holds. */
    long bytes(List<HeldFile> files) {
        long sum = 0;
        for (HeldFile f : files) {
            if (f.fd >= 0) {
                try {
                    sum += ctx.calls.fstat(f.fd).size();
                } catch (ErrnoException e) {
                    // a file the agent cannot stat counts as empty; it is not one the agent can keep anyway
                }
            }
        }
        return sum;
    }
}
