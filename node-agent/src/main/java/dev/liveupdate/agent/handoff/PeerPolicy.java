package dev.liveupdate.agent.handoff;

import java.util.Set;

/**
 * Which peers may talk to the agent: a uid in the allowed uids, or any of its groups in the allowed
 * gids. The socket's file mode (0660) is the first gate; this is the second, and it also holds when
 * the socket file was made more open by mistake.
 */
public final class PeerPolicy {
    private final Set<Long> uids;
    private final Set<Long> gids;

    public PeerPolicy(Set<Long> uids, Set<Long> gids) {
        this.uids = Set.copyOf(uids);
        this.gids = Set.copyOf(gids);
    }

    public boolean allows(Peer peer) {
        if (uids.contains(peer.uid()) || gids.contains(peer.gid())) {
            return true;
        }
        for (long g : peer.groups()) {
            if (gids.contains(g)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "uids " + uids + ", gids " + gids;
    }
}
