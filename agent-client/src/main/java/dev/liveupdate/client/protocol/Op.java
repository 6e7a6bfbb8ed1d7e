package dev.liveupdate.client.protocol;

import java.util.Locale;

/** The requests a workload can make. */
public enum Op {
    /** Hand a file (one SCM_RIGHTS fd) to the agent under (session, token). */
    PRESERVE,
    /** Take a registration back before the update; the agent closes its reference. */
    UNPRESERVE,
    /** Get the file for (session, token) back as an SCM_RIGHTS fd: after the update, or the agent's copy before it. */
    RETRIEVE,
    /** Whether and where the peer's files are preserved, and what the agent is doing. */
    STATUS,
    /**
     * Turn this connection into a notice channel: the agent sends {@link Notice}s (freeze, thawed, resumed) on it from
     * now on, and keeps it open while idle.
     */
    SUBSCRIBE,
    /** Acknowledge a freeze notice ({@code "id"}): the workload is paused and ready for the kexec. No reply. */
    ACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the op, or null when the name is unknown */
    public static Op fromWire(String name) {
        for (Op op : values()) {
            if (op.wireName().equals(name)) {
                return op;
            }
        }
        return null;
    }
}
