package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * Refuses a connection before reading anything from it: one error reply, the agent's side of the stream shut, and the
 * socket closed a moment later, off the accept thread. Closed at once, a refused client's first request could hit a
 * closed socket, and a Unix socket closed with that request unread resets the client's read of the reply it was
 * sent (the refusal then showed as "Broken pipe"). Kept open a moment, the request lands, the client reads the reply
 * and the end of the stream. At most {@link #MAX_LINGERING} refused sockets wait at once; beyond that they close at
 * once (a flood of refused peers costs nothing more than before).
 */
final class Refusals implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
    static final Duration LINGER = Duration.ofSeconds(5);
    static final int MAX_LINGERING = 64;

    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "workload-socket-refusals");
        t.setDaemon(true);
        return t;
    });
    private final Set<AFUNIXSocket> lingering = ConcurrentHashMap.newKeySet();

    void refuse(AFUNIXSocket socket, ErrorCode code, String message) {
        try {
            Frames.write(socket.getOutputStream(), Reply.error(code, message).encode());
            socket.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not tell a peer why it was refused", e);
            closeQuietly(socket);
            return;
        }
        if (lingering.size() >= MAX_LINGERING || !lingering.add(socket)) {
            closeQuietly(socket);
            return;
        }
        try {
            closer.schedule(() -> {
                if (lingering.remove(socket)) {
                    closeQuietly(socket);
                }
            }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            lingering.remove(socket);
            closeQuietly(socket);
        }
    }

    /** Refused sockets still waiting are closed now. */
    @Override
    public void close() {
        closer.shutdownNow();
        for (AFUNIXSocket s : List.copyOf(lingering)) {
            if (lingering.remove(s)) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(AFUNIXSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a refused connection", e);
        }
    }
}
