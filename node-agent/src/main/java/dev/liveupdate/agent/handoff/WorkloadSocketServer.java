package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Reply;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The node-local Unix socket workloads hand their fds to. One acceptor thread and a small bounded
 * pool of connection threads: a node has a handful of workloads, and a DaemonSet must stay small.
 */
public final class WorkloadSocketServer implements Closeable {
    private static final Logger LOG = Logger.getLogger(WorkloadSocketServer.class.getName());

    /** Socket settings. {@code group} may be null (keep the agent's group). */
    public record Settings(Path path, Set<PosixFilePermission> mode, String group, int maxConnections, Duration idleTimeout) {
    }

    private final Settings settings;
    private final PeerPolicy policy;
    private final WorkloadRequests requests;
    private final SocketMetrics metrics;
    private final ThreadPoolExecutor workers;
    private AFUNIXServerSocket server;
    private Thread acceptor;
    private volatile boolean closed;

    public WorkloadSocketServer(Settings settings, PeerPolicy policy, WorkloadRequests requests, SocketMetrics metrics) {
        this.settings = settings;
        this.policy = policy;
        this.requests = requests;
        this.metrics = metrics;
        this.workers = new ThreadPoolExecutor(0, settings.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "workload-socket-conn");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the socket with its final mode (never briefly world-writable) and starts accepting. */
    public synchronized void start() throws IOException {
        Path path = settings.path();
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path); // a stale socket of an earlier agent process; only one agent holds the device
        // junixsocket closes a server whose socket file was renamed or replaced, so bind in place and
        // fix mode and group right away; the peer-credential check below is the gate that always holds.
        server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path));
        Files.setPosixFilePermissions(path, settings.mode());
        if (settings.group() != null && !settings.group().isBlank()) {
            GroupPrincipal group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(settings.group());
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
        }
        acceptor = new Thread(this::acceptLoop, "workload-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info(() -> "workload socket listening on " + path + " mode " + java.nio.file.attribute.PosixFilePermissions.toString(settings.mode())
                + ", allowed peers: " + policy);
    }

    public boolean isRunning() {
        return server != null && !closed && acceptor != null && acceptor.isAlive();
    }

    private void acceptLoop() {
        while (!closed) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "accept on the workload socket failed; continuing", e);
                }
                continue;
            }
            try {
                workers.execute(new WorkloadConnection(socket, policy, requests, metrics, settings.idleTimeout()));
            } catch (RejectedExecutionException busy) {
                refuseBusy(socket);
            }
        }
    }

    private void refuseBusy(AFUNIXSocket socket) {
        metrics.request("connect", ErrorCode.BUSY.name());
        try (socket) {
            Frames.write(socket.getOutputStream(), Reply.error(ErrorCode.BUSY,
                    "the agent serves at most " + settings.maxConnections() + " connections at once; retry").encode());
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not tell a peer we are busy", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "closing the workload socket", e);
            }
            try {
                Files.deleteIfExists(settings.path());
            } catch (IOException e) {
                LOG.log(Level.FINE, "removing the workload socket file", e);
            }
        }
        workers.shutdownNow();
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Exposed for tests that need the real path after start. */
    public Path path() {
        return settings.path();
    }

    static boolean isClosedSocket(IOException e) {
        return e instanceof SocketException;
    }
}
