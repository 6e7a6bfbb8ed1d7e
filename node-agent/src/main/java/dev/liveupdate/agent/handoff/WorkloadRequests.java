package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;

/** What the socket asks of the agent. The socket layer does framing, credentials and fd passing; implementations decide. */
public interface WorkloadRequests {

    /** Registers {@code fd} under (session, token). Takes ownership of {@code fd}: keeps it, or closes it when refusing. */
    void preserve(Peer peer, String session, long token, int fd) throws ProtocolException;

    void unpreserve(Peer peer, String session, long token) throws ProtocolException;

    /** @return a new fd for the caller to send and then close; the file is not counted as handed back until {@link #delivered} */
    int retrieve(Peer peer, String session, long token) throws ProtocolException;

    /** The fd {@link #retrieve} returned went out on the socket: from now on the workload holds the file. */
    void delivered(Peer peer, String session, long token) throws ProtocolException;

    StatusReport status(Peer peer, String sessionOrNull) throws ProtocolException;
}
