package dev.liveupdate.agent.handoff;

import java.util.Arrays;

/**
 * Who is on the other end of a socket connection: what the kernel says (SO_PEERCRED) and the {@link Owner} the agent
 * worked out from the peer's cgroup when it connected. Files belong to the owner, not to the process.
 */
public record Peer(long pid, long uid, long gid, long[] groups, Owner owner) {

    /** A peer whose owner is not known yet (before the cgroup look-up). */
    public Peer(long pid, long uid, long gid, long[] groups) {
        this(pid, uid, gid, groups, Owner.UNKNOWN);
    }

    public Peer ownedBy(Owner o) {
        return new Peer(pid, uid, gid, groups, o);
    }

    @Override
    public String toString() {
        return "pid " + pid + " uid " + uid + " gid " + gid + (groups.length > 1 ? " groups " + Arrays.toString(groups) : "")
                + (owner.kind() == Owner.Kind.UNKNOWN ? "" : " (" + owner + ")");
    }
}
