package dev.liveupdate.agent.handoff;

import java.util.Arrays;

/** Who is on the other end of a socket connection, as the kernel says (SO_PEERCRED). */
public record Peer(long pid, long uid, long gid, long[] groups) {
    @Override
    public String toString() {
        return "pid " + pid + " uid " + uid + " gid " + gid + (groups.length > 1 ? " groups " + Arrays.toString(groups) : "");
    }
}
