package dev.liveupdate.client;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may answer on the agent socket: the agent runs as root (uid 0), or as a uid the node's admin names. Checked with
 * SO_PEERCRED right after connecting and before anything is sent, so a workload never hands its memory (or asks for it
 * back) to a process that took the socket path (a stale path after an agent crash, a hostPath shared more widely than
 * meant, a squatter in a writable directory).
 */
public final class AgentIdentity {
    /** Environment variable naming the agent's uid when it is not root (the CLI and {@link AgentClient#connect(Path)} read it). */
    public static final String UID_ENV = "LIVEUPDATE_AGENT_UID";

    private final Set<Long> uids;

    private AgentIdentity(Set<Long> uids) {
        this.uids = Set.copyOf(uids);
    }

    /** Only root. */
    public static AgentIdentity root() {
        return new AgentIdentity(Set.of(0L));
    }

    /** Root or this uid (an agent run as a dedicated user). */
    public static AgentIdentity rootOr(long uid) {
        if (uid < 0) {
            throw new IllegalArgumentException("uid " + uid + " is negative");
        }
        return uid == 0 ? root() : new AgentIdentity(Set.of(0L, uid)); // Set.of refuses the duplicate 0
    }

    /** Root, or root and the uid in {@value #UID_ENV} when it is set. */
    public static AgentIdentity fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static AgentIdentity fromEnvironment(Map<String, String> env) {
        String v = env.get(UID_ENV);
        if (v == null || v.isBlank()) {
            return root();
        }
        long uid;
        try {
            uid = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(UID_ENV + "=" + v + " is not a uid", e);
        }
        return rootOr(uid);
    }

    /** Throws unless a process of an allowed uid serves the socket. */
    void check(Path socket, PeerCredentials peer) throws NotTheAgentException {
        if (!uids.contains(peer.uid())) {
            throw new NotTheAgentException("the socket at " + socket + " is served by uid " + peer.uid()
                    + (peer.pid() > 0 ? " (pid " + peer.pid() + ")" : "") + ", not the agent (expected uid " + String.join(" or ",
                    new TreeSet<>(uids).stream().map(String::valueOf).toList()) + "; set " + UID_ENV + " if the agent runs as another user);"
                    + " nothing was sent");
        }
    }

    @Override
    public String toString() {
        return "uids " + new TreeSet<>(uids);
    }
}
