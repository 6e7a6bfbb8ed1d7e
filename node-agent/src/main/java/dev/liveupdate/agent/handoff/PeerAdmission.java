package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ErrorCode;

/**
 * Whether a new connection is served, and as whom: the uid/gid allow-list, then the peer's {@link Owner} from its
 * cgroup, then the owner's share of connections. Decided on the accepting thread from the kernel's facts alone (nothing
 * is read from the peer), so a refused or silent peer never holds one of the agent's connection threads.
 */
final class PeerAdmission {
    private final PeerPolicy policy;
    private final OwnerResolver owners;
    private final ConnectionLimits limits;

    PeerAdmission(PeerPolicy policy, OwnerResolver owners, ConnectionLimits limits) {
        this.policy = policy;
        this.owners = owners;
        this.limits = limits;
    }

    /** Admitted: the peer with its owner, holding one of the owner's connection slots until {@link #release}. */
    record Decision(Peer peer, ErrorCode refusal, String reason) {
        boolean admitted() {
            return refusal == null;
        }
    }

    Decision admit(Peer credentials, PeerPidfd pin) {
        if (!policy.allows(credentials)) {
            return refuse(credentials, ErrorCode.PERMISSION_DENIED, "peer " + credentials + " may not use this socket (allowed: " + policy + ")");
        }
        Owner owner;
        try {
            owner = owners.ownerOf(credentials.pid(), credentials.uid());
        } catch (OwnerResolver.UnknownOwnerException e) {
            return refuse(credentials, ErrorCode.PERMISSION_DENIED, "cannot tell which workload peer " + credentials + " is: " + e.getMessage());
        }
        if (!pin.stillNames(credentials.pid())) {
            return refuse(credentials, ErrorCode.PERMISSION_DENIED, "peer pid " + credentials.pid()
                    + " exited while the agent read its cgroup, so its owner is unknown; connect again from a running process");
        }
        Peer peer = credentials.ownedBy(owner);
        if (!limits.tryOpen(owner)) {
            return refuse(peer, ErrorCode.BUSY, owner + " already has " + limits.perOwner()
                    + " connections open to the agent (liveupdate.agent.socket.max-connections-per-owner); close one, or retry");
        }
        return new Decision(peer, null, null);
    }

    void release(Peer peer) {
        limits.closed(peer.owner());
    }

    private static Decision refuse(Peer peer, ErrorCode code, String reason) {
        return new Decision(peer, code, reason);
    }

    @Override
    public String toString() {
        return policy + ", at most " + limits.perOwner() + " connections per owner";
    }
}
