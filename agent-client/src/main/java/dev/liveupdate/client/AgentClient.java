package dev.liveupdate.client;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Reply;
import dev.liveupdate.client.protocol.Request;
import dev.liveupdate.client.protocol.StatusReport;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A workload's connection to its node agent. One request at a time (the protocol is lock-step);
 * instances are thread-safe by serialising calls.
 *
 * <pre>{@code
 * try (AgentClient agent = AgentClient.connect(Path.of("/run/liveupdate/agent.sock"))) {
 *     agent.preserve("vm", 1, memfd);          // before the update
 *     FileDescriptor back = agent.retrieve("vm", 1); // after it
 * }
 * }</pre>
 */
public final class AgentClient implements Closeable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean subscribed;

    private AgentClient(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        // Room for the one fd a retrieve reply carries (and a little slack).
        socket.setAncillaryReceiveBufferSize(256);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and checks that the agent serves the socket: root, or the uid in {@value AgentIdentity#UID_ENV}. */
    public static AgentClient connect(Path socketPath) throws IOException {
        return connect(socketPath, AgentIdentity.fromEnvironment());
    }

    /** Connects and checks with SO_PEERCRED that a process of an allowed uid serves the socket, before sending anything. */
    public static AgentClient connect(Path socketPath, AgentIdentity agent) throws IOException {
        return connect(socketPath, agent, PeerCredentials.KERNEL);
    }

    static AgentClient connect(Path socketPath, AgentIdentity agent, PeerCredentials.Reader credentials) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath));
        try {
            agent.check(socketPath, credentials.read(socket));
            return new AgentClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Hands {@code fd} to the agent under (session, token); the agent keeps its own reference, so the caller may close its copy. */
    public synchronized void preserve(String session, long token, FileDescriptor fd) throws IOException {
        socket.setOutboundFileDescriptors(fd);
        call(Request.preserve(session, token));
    }

    /**
     * Makes sure the agent holds {@code fd} under (session, token), handing it over again when it does not: an agent
     * restarted in the same boot (image update, OOM kill, eviction) forgot every registration, and its preparation
     * starts over from the files workloads hand over again. A workload that keeps its file calls this whenever it
     * (re)connects, or periodically; it never hands anything over after a live update (the file is then the kernel's
     * to give back, see {@link #retrieve}).
     *
     * @return true when the file was handed over again
     */
    public synchronized boolean ensurePreserved(String session, long token, FileDescriptor fd) throws IOException {
        if (!needsHandOver(status(session), session, token)) {
            return false;
        }
        preserve(session, token, fd);
        return true;
    }

    /** The agent lists no file under (session, token), or lists it Lost, and this boot did not come out of a live update. */
    public static boolean needsHandOver(StatusReport status, String session, long token) {
        if (status.agent().updatedBy()) {
            return false;
        }
        return status.file(session, token).map(f -> f.state() == dev.liveupdate.client.protocol.FileState.Lost).orElse(true);
    }

    /** Takes a registration back before the update. */
    public synchronized void unpreserve(String session, long token) throws IOException {
        call(Request.unpreserve(session, token));
    }

    /** Gets the file back: after the update the preserved file from the old kernel, before it the agent's copy. The caller owns the returned descriptor. */
    public synchronized FileDescriptor retrieve(String session, long token) throws IOException {
        call(Request.retrieve(session, token));
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        if (fds == null || fds.length != 1) {
            throw new IOException("agent replied ok to retrieve but sent " + (fds == null ? 0 : fds.length) + " file descriptors");
        }
        return fds[0];
    }

    /** What the agent is doing and where every registered file is. */
    public synchronized StatusReport status() throws IOException {
        return status(null);
    }

    /** Like {@link #status()}, only files of one session. */
    public synchronized StatusReport status(String sessionOrNull) throws IOException {
        Reply reply = call(Request.status(sessionOrNull));
        try {
            return StatusReport.fromJson(reply.json());
        } catch (ProtocolException e) {
            throw new IOException("agent sent an unreadable status: " + e.getMessage(), e);
        }
    }

    /**
     * Turns this connection into a {@link Subscription} for freeze, thawed and resumed notices; make no other calls on
     * this client afterwards (open a second connection for requests). Agents older than notices answer
     * {@code UNKNOWN_OP} ({@link AgentException}).
     */
    public synchronized Subscription subscribe() throws IOException {
        call(Request.subscribe());
        subscribed = true;
        return new Subscription(socket, in, out);
    }

    private Reply call(Request request) throws IOException {
        if (subscribed) {
            throw new IllegalStateException("this connection carries notices now (subscribe); use another AgentClient for requests");
        }
        socket.clearReceivedFileDescriptors();
        try {
            Frames.write(out, request.encode());
        } catch (IOException writeFailed) {
            throw refusalOr(writeFailed);
        }
        byte[] body = Frames.read(in);
        if (body == null) {
            throw new IOException("agent closed the connection without replying to " + request.op().wireName());
        }
        Reply reply;
        try {
            reply = Reply.decode(body);
        } catch (ProtocolException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!reply.isOk()) {
            throw new AgentException(ErrorCode.fromWire(reply.rawErrorCode()), reply.rawErrorCode(), reply.errorMessage());
        }
        return reply;
    }

    /**
     * The agent refuses some connections at once (busy, not allowed, owner unknown): it writes one error reply and
     * closes before reading, so the request may hit a closed socket. The reply is still in our receive queue: read it.
     */
    private IOException refusalOr(IOException writeFailed) {
        try {
            byte[] body = Frames.read(in);
            if (body != null) {
                Reply reply = Reply.decode(body);
                if (!reply.isOk()) {
                    return new AgentException(ErrorCode.fromWire(reply.rawErrorCode()), reply.rawErrorCode(), reply.errorMessage());
                }
            }
        } catch (IOException | ProtocolException | RuntimeException ignored) {
            // nothing readable: the write failure is the answer
        }
        return writeFailed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
