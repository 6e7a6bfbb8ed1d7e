package dev.liveupdate.client;

import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Request;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A connection the agent sends freeze, thawed and resumed notices on ({@link AgentClient#subscribe()}). Keep it open
 * for as long as the workload wants to be told; after a live update the workload connects and subscribes again, and
 * the agent of the new kernel sends {@code resumed} right after the subscribe reply.
 *
 * <pre>{@code
 * try (Subscription s = AgentClient.connect(socket).subscribe()) {
 *     while (true) {
 *         Notice n = s.next(Duration.ofSeconds(30));
 *         if (n != null && n.kind().equals(Notice.FREEZE)) { vm.pause(); s.ack(n.id()); }
 *         if (n != null && n.kind().equals(Notice.THAWED)) { vm.resume(); }
 *     }
 * }
 * }</pre>
 */
public final class Subscription implements Closeable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    Subscription(AFUNIXSocket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /**
     * The next notice, waiting at most {@code timeout}.
     *
     * @return the notice, or null when none came in time
     * @throws IOException when the agent closed the connection (it restarted, or the node rebooted): connect again
     */
    public Notice next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        byte[] body;
        try {
            body = Frames.read(in);
        } catch (SocketTimeoutException e) {
            // Frames.read reads the 4-byte header first: a timeout there loses nothing (notices are tiny, one write each).
            return null;
        }
        if (body == null) {
            throw new IOException("the agent closed the subscription");
        }
        try {
            return Notice.decode(body);
        } catch (ProtocolException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Answers freeze notice {@code id}: the workload is paused and ready for the kexec. */
    public synchronized void ack(long id) throws IOException {
        Frames.write(out, Request.ack(id).encode());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
