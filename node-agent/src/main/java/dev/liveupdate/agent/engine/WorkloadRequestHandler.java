package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.client.protocol.Tokens;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.FileStat;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The workloads' requests on the agent socket as the engine answers them (engine thread): preserve, unpreserve,
 * retrieve and status. Whether a file may go in or out depends on where the node is (a session is sealed once Prepared;
 * a restored file handed back counts for the restore rule), so each request that changes something ends in a reconcile.
 *
 * <p>Every file belongs to the workload that handed it over (safety invariant 10): another workload cannot retrieve,
 * discard or replace it ({@code NOT_OWNER}) nor see it in status. Only memfds are taken ({@link MemfdOnly}), within
 * the owner's quota ({@link OwnerQuota}).
 */
final class WorkloadRequestHandler {
    private static final Logger LOG = Logger.getLogger(WorkloadRequestHandler.class.getName());

    private final EngineContext ctx;
    private final ProcessState state;
    private final Runnable reconcile;
    private final OwnerQuota quota;
    private final WorkloadStatus status;

    WorkloadRequestHandler(String nodeName, EngineContext ctx, ProcessState state, Runnable reconcile, WorkloadLimits limits) {
        this.ctx = ctx;
        this.state = state;
        this.reconcile = reconcile;
        this.quota = new OwnerQuota(ctx, limits);
        this.status = new WorkloadStatus(nodeName, ctx, state, quota);
    }

    void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
        OutgoingRun outgoing = state.outgoing;
        try {
            MemfdOnly.require(ctx.calls, fd);
            Optional<HeldFile> existing = ctx.files.get(session, token);
            if (existing.isPresent()) {
                HeldFile e = existing.get();
                requireOwner(peer, e, "replace");
                if (e.state != FileState.Lost && e.state != FileState.Restored) {
                    throw new ProtocolException(ErrorCode.DUPLICATE_TOKEN, "session " + session + " already holds token " + Tokens.format(token)
                            + " (" + e.state + "); unpreserve it first or use another token");
                }
            }
            FileStat stat = identify(fd);
            quota.checkRoomFor(peer.owner(), stat == null ? 0 : stat.size(), existing.orElse(null));
            existing.ifPresent(e -> {
                ctx.closeQuietly(e.fd);
                ctx.files.remove(session, token);
            });
            HeldFile f = new HeldFile(session, token, fd, peer.owner(), peer.uid(), FileState.Held);
            f.stat = stat;
            if (outgoing != null && outgoing.declares(session)) {
                if (outgoing.phase == NodePhase.Prepared) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "session " + session + " is sealed: the node is Prepared for plan "
                            + outgoing.plan.getName() + " and reboots next; register after the update");
                }
                if (outgoing.sessions.containsKey(session)) {
                    outgoing.preserveInKernel(f);
                }
            }
            ctx.files.put(f);
            LOG.info(() -> "registered " + session + "/" + Tokens.format(token) + " from " + peer + " (" + f.state + ")");
        } catch (ProtocolException e) {
            ctx.closeQuietly(fd);
            if (outgoing != null && outgoing.refused.any()) {
                reconcile.run(); // the node's status names a refused registration at once, not at the next tick
            }
            throw e;
        }
        reconcile.run();
    }

    void unpreserve(Peer peer, String session, long token) throws ProtocolException {
        OutgoingRun outgoing = state.outgoing;
        HeldFile f = find(peer, session, token, "discard");
        switch (f.state) {
            case Preserved -> {
                LuoSession ks = outgoing == null ? null : outgoing.sessions.get(session);
                if (ks == null || outgoing.phase != NodePhase.Preparing) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "session " + session + " is sealed for the update in progress");
                }
                if (ks.generation() != Generation.A) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "generation B cannot take a single file out of a session;"
                            + " it leaves the kernel when the plan is cancelled");
                }
                try {
                    ks.unpreserve(token);
                } catch (ErrnoException e) {
                    throw new ProtocolException(OutgoingRun.codeFor(e, Generation.A), "UNPRESERVE_FD refused: " + e.getMessage());
                }
            }
            case Restorable -> {
                // The workload declines its file: that settles it for the restore rule.
                if (state.incoming != null) {
                    state.incoming.onHandedBack(f);
                }
            }
            default -> { }
        }
        ctx.closeQuietly(f.fd);
        ctx.files.remove(session, token);
        if (outgoing != null) {
            outgoing.refused.forget(session, token);
        }
        reconcile.run();
    }

    /** Which file the workload handed over, read from the fd itself; null (counted as a file of its own) if fstat fails. */
    private FileStat identify(int fd) {
        try {
            return ctx.calls.fstat(fd);
        } catch (ErrnoException e) {
            LOG.warning(() -> "fstat of a registered fd failed: " + e.getMessage());
            return null;
        }
    }

    /** @return a new fd (a dup of the agent's) for the socket to send and close; {@link #delivered} once it is sent */
    int retrieve(Peer peer, String session, long token) throws ProtocolException {
        HeldFile f = find(peer, session, token, "retrieve");
        if (f.state == FileState.Lost) {
            throw new ProtocolException(ErrorCode.LOST, "session " + session + " token " + Tokens.format(token) + " is lost: " + f.detail);
        }
        if (f.fd < 0) {
            throw new ProtocolException(ErrorCode.LOST, "session " + session + " token " + Tokens.format(token)
                    + " was handed back before an agent restart; the agent no longer holds a copy");
        }
        int dup;
        try {
            dup = ctx.calls.dup(f.fd);
        } catch (ErrnoException e) {
            throw new ProtocolException(ErrorCode.KERNEL_ERROR, "dup failed: " + e.getMessage());
        }
        return dup;
    }

    /**
     * The fd {@link #retrieve} gave is now the workload's (the socket sent it). Only from here does the token count as
     * reclaimed: recorded before the send, an agent that died in between would report a file the workload never got
     * as restored and let FINISH drop it. Recorded after, such a death costs a false SessionsLost a person can discard.
     */
    void delivered(Peer peer, String session, long token) throws ProtocolException {
        HeldFile f = find(peer, session, token, "retrieve");
        if (f.state == FileState.Restorable && state.incoming != null) {
            state.incoming.onHandedBack(f);
            LOG.info(() -> "handed " + session + "/" + Tokens.format(token) + " back to " + peer);
            reconcile.run();
        }
    }

    /** The caller's own files only. @param instruction the node's current instruction (its plan is named in the answer), or null */
    StatusReport status(Peer peer, String session, NodeInstruction instruction) {
        return status.of(peer, session, instruction);
    }

    /**
     * The caller's file under (session, token). A file of another owner is {@code NOT_OWNER}: the token is taken (the
     * kernel keys a session's files by token alone), but not by the caller.
     */
    private HeldFile find(Peer peer, String session, long token, String what) throws ProtocolException {
        if (!ctx.files.hasSession(session)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "the agent holds nothing for session " + session);
        }
        HeldFile f = ctx.files.get(session, token).orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_TOKEN,
                "session " + session + " holds no token " + Tokens.format(token)));
        requireOwner(peer, f, what);
        return f;
    }

    private static void requireOwner(Peer peer, HeldFile f, String what) throws ProtocolException {
        if (!f.owner.matches(peer.owner())) {
            LOG.warning(() -> peer + " tried to " + what + " " + f.session + "/" + Tokens.format(f.token) + " of " + f.owner);
            throw new ProtocolException(ErrorCode.NOT_OWNER, "session " + f.session + " token " + Tokens.format(f.token)
                    + " belongs to another workload; only the workload that handed it over may " + what + " it (you are " + peer.owner()
                    + "). Use a token of your own");
        }
    }
}
