package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.client.protocol.Op;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Reply;
import dev.liveupdate.client.protocol.Request;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One admitted workload connection ({@link PeerAdmission}): answer requests one at a time until the
 * peer hangs up. Whatever arrives, the connection answers with a reply or closes; it never takes
 * the agent down.
 */
final class WorkloadConnection implements Runnable, Subscriber {
    private static final Logger LOG = Logger.getLogger(WorkloadConnection.class.getName());

    private final AFUNIXSocket socket;
    private final Peer peer;
    private final WorkloadRequests requests;
    private final SocketMetrics metrics;
    private final Duration idleTimeout;
    private final Runnable onClose;
    private final WorkloadSubscribers subscribers;
    /** Replies (this thread) and notices (the engine's freeze) share the stream: one frame, with its fds, at a time. */
    private final Object writeLock = new Object();
    private volatile OutputStream out;
    private boolean subscribed;
    /**
     * Notices go out on this connection's own writer thread (made on subscribe): a workload that stops reading fills
     * its socket and blocks that thread, never the engine thread that sends a freeze or thaw to every subscriber.
     */
    private volatile ExecutorService noticeWriter;
    private final AtomicInteger queuedNotices = new AtomicInteger();
    /** Notices waiting for a workload that does not read: beyond this it is not told more (it misses the freeze). */
    static final int MAX_QUEUED_NOTICES = 256;

    /** @param peer admitted by {@link PeerAdmission}; {@code onClose} gives its owner's connection slot back */
    WorkloadConnection(AFUNIXSocket socket, Peer peer, WorkloadRequests requests, SocketMetrics metrics, Duration idleTimeout, Runnable onClose,
                       WorkloadSubscribers subscribers) {
        this.socket = socket;
        this.peer = peer;
        this.requests = requests;
        this.metrics = metrics;
        this.idleTimeout = idleTimeout;
        this.onClose = onClose;
        this.subscribers = subscribers;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setAncillaryReceiveBufferSize(1024);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
            serve(peer, socket.getInputStream(), socket.getOutputStream());
        } catch (SocketTimeoutException e) {
            LOG.fine("closing an idle workload connection");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "workload connection ended", e);
        } finally {
            subscribers.remove(this);
            ExecutorService writer = noticeWriter;
            if (writer != null) {
                writer.shutdownNow(); // a write blocked on the socket ends with it (closed by the try above)
            }
            onClose.run();
        }
    }

    @Override
    public String who() {
        return peer.owner() == null ? peer.toString() : peer.owner().toString();
    }

    /** Queues the notice for this connection's writer; false when it cannot be told (gone, or not reading). */
    @Override
    public boolean send(Notice notice) {
        OutputStream o = out;
        ExecutorService writer = noticeWriter;
        if (o == null || writer == null) {
            return false;
        }
        if (queuedNotices.incrementAndGet() > MAX_QUEUED_NOTICES) {
            queuedNotices.decrementAndGet();
            LOG.fine(() -> who() + " does not read its notices; not queueing " + notice.kind());
            return false;
        }
        try {
            writer.execute(() -> {
                try {
                    synchronized (writeLock) {
                        Frames.write(o, notice.encode());
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "could not send a notice to " + who(), e);
                } finally {
                    queuedNotices.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            queuedNotices.decrementAndGet();
            return false; // the connection ended
        }
    }

    /** SO_PEERCRED of a new connection; the owner is worked out next ({@link PeerAdmission}). */
    static Peer credentials(AFUNIXSocket socket) throws IOException {
        AFUNIXSocketCredentials c = socket.getPeerCredentials();
        long[] groups = c.getGids() == null ? new long[0] : c.getGids();
        return new Peer(c.getPid(), c.getUid(), groups.length > 0 ? groups[0] : -1, groups);
    }

    private void serve(Peer peer, InputStream in, OutputStream out) throws IOException {
        this.out = out;
        while (true) {
            byte[] body;
            try {
                body = Frames.read(in);
            } catch (Frames.FrameException e) {
                closeAll(receivedFds());
                metrics.request("frame", ErrorCode.BAD_FRAME.name());
                Frames.write(out, Reply.error(ErrorCode.BAD_FRAME, e.getMessage() + "; closing the connection").encode());
                return;
            }
            if (body == null) {
                return;
            }
            Received fds = new Received(receivedFds());
            if (subscribed && ack(body, fds)) {
                continue;
            }
            Reply reply;
            String op = "unknown";
            int outgoing = -1;
            Request retrieval = null;
            try {
                Request request = Request.decode(body);
                op = request.op().wireName();
                if (request.op() == Op.RETRIEVE) {
                    rejectFds(fds, request.op());
                    outgoing = requests.retrieve(peer, request.session(), request.token());
                    retrieval = request;
                    reply = Reply.ok();
                } else if (request.op() == Op.SUBSCRIBE) {
                    rejectFds(fds, request.op());
                    reply = Reply.ok();
                } else if (request.op() == Op.ACK) {
                    rejectFds(fds, request.op());
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "ack answers a freeze notice: subscribe on this connection first");
                } else {
                    reply = handle(peer, request, fds);
                }
            } catch (ProtocolException e) {
                fds.closeRest();
                reply = Reply.error(e);
            } catch (RuntimeException e) {
                fds.closeRest();
                LOG.log(Level.WARNING, "workload request failed inside the agent", e);
                reply = Reply.error(ErrorCode.INTERNAL, e.toString());
            }
            metrics.request(op, reply.isOk() ? "ok" : reply.rawErrorCode());
            if (Op.SUBSCRIBE.wireName().equals(op) && reply.isOk()) {
                subscribe(out, reply);
                continue;
            }
            send(out, reply, outgoing);
            if (retrieval != null) {
                delivered(peer, retrieval);
            }
        }
    }

    /**
     * Listed before the reply goes out, so a freeze that starts once the workload has its reply reaches it; the write
     * lock keeps that freeze's notice behind the reply. This boot's resumed notice, if any, follows the reply.
     */
    private void subscribe(OutputStream out, Reply reply) throws IOException {
        Notice resumed;
        if (noticeWriter == null) {
            noticeWriter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "workload-notices-" + peer.pid());
                t.setDaemon(true);
                return t;
            });
        }
        synchronized (writeLock) {
            resumed = subscribers.add(this);
            Frames.write(out, reply.encode());
        }
        if (!subscribed) {
            // A subscriber waits for notices, it is not idle: no idle timeout from here on (a dead peer still ends it: EOF).
            subscribed = true;
            socket.setSoTimeout(0);
        }
        if (resumed != null) {
            send(resumed);
        }
    }

    /** An ack on a subscribed connection: recorded, never answered (the peer is reading notices). False for anything else. */
    private boolean ack(byte[] body, Received fds) {
        Request request;
        try {
            request = Request.decode(body);
        } catch (ProtocolException e) {
            return false;
        }
        if (request.op() != Op.ACK) {
            return false;
        }
        fds.closeRest();
        metrics.request("ack", "ok");
        subscribers.acked(this, request.ackId());
        return true;
    }

    /** Tells the agent a retrieved fd left on the socket (a failed send threw before this, so the file stays the agent's). */
    private void delivered(Peer peer, Request retrieval) {
        try {
            requests.delivered(peer, retrieval.session(), retrieval.token());
        } catch (ProtocolException | RuntimeException e) {
            LOG.log(Level.WARNING, "a retrieved file was sent but could not be recorded as handed back", e);
        }
    }

    private Reply handle(Peer peer, Request request, Received fds) throws ProtocolException {
        switch (request.op()) {
            case PRESERVE -> {
                int count = fds.count();
                if (count != 1) {
                    throw new ProtocolException(count == 0 ? ErrorCode.MISSING_FD : ErrorCode.UNEXPECTED_FD,
                            "preserve takes exactly one file descriptor sent with SCM_RIGHTS alongside the request, got " + count);
                }
                // From here the fd belongs to the agent: it keeps it or closes it itself.
                requests.preserve(peer, request.session(), request.token(), toInt(fds.takeOnly()));
                return Reply.ok();
            }
            case UNPRESERVE -> {
                rejectFds(fds, request.op());
                requests.unpreserve(peer, request.session(), request.token());
                return Reply.ok();
            }
            case STATUS -> {
                rejectFds(fds, request.op());
                Reply reply = Reply.ok();
                var status = requests.status(peer, request.session()).toJson();
                status.fields().forEachRemaining(f -> reply.with(f.getKey(), f.getValue()));
                return reply;
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OP, "unhandled op " + request.op());
        }
    }

    private void send(OutputStream out, Reply reply, int outgoingFd) throws IOException {
        byte[] body = reply.encode();
        if (body.length > Frames.MAX_FRAME_BYTES) {
            // Cannot happen by construction (WorkloadStatus bounds a status reply); if it did, the peer learns why.
            body = Reply.error(ErrorCode.INTERNAL, "the reply would be " + body.length + " bytes, more than one frame holds").encode();
        }
        synchronized (writeLock) {
            if (outgoingFd < 0) {
                Frames.write(out, body);
                return;
            }
            FileDescriptor fd = FileDescriptorCast.unsafeUsing(outgoingFd).getFileDescriptor();
            try {
                socket.setOutboundFileDescriptors(fd);
                Frames.write(out, body);
            } finally {
                closeAll(new FileDescriptor[] {fd});
            }
        }
    }

    private static void rejectFds(Received fds, Op op) throws ProtocolException {
        if (fds.count() > 0) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_FD, op.wireName() + " takes no file descriptors; closed the " + fds.count() + " sent");
        }
    }

    /** The fds that came with one request; whatever nobody took is closed. */
    private static final class Received {
        private FileDescriptor[] fds;

        Received(FileDescriptor[] fds) {
            this.fds = fds;
        }

        int count() {
            return fds.length;
        }

        FileDescriptor takeOnly() {
            FileDescriptor fd = fds[0];
            fds = new FileDescriptor[0];
            return fd;
        }

        void closeRest() {
            closeAll(fds);
            fds = new FileDescriptor[0];
        }
    }

    private FileDescriptor[] receivedFds() throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        return fds == null ? new FileDescriptor[0] : fds;
    }

    /**
     * The agent's own dup of the received fd, as a plain int it alone owns. The FileDescriptor
     * object junixsocket handed out is closed here: left alone, it may be closed behind the agent's
     * back once unreachable, and the number reused for another file.
     */
    private static int toInt(FileDescriptor fd) throws ProtocolException {
        try {
            int raw = FileDescriptorCast.using(fd).as(Integer.class);
            return LIBC.dup(raw);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.INTERNAL, "cannot take over the received file descriptor: " + e.getMessage());
        } finally {
            closeAll(new FileDescriptor[] {fd});
        }
    }

    private static final dev.liveupdate.luo.sys.LibcKernelCalls LIBC = new dev.liveupdate.luo.sys.LibcKernelCalls();

    static void closeAll(FileDescriptor[] fds) {
        for (FileDescriptor fd : fds) {
            try {
                new FileInputStream(fd).close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing a received fd", e);
            }
        }
    }
}
