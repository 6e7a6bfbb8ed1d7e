package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
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
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The node-local Unix socket workloads hand their fds to. One acceptor thread and a small bounded
 * pool of connection threads: a node has a handful of workloads, and a DaemonSet must stay small.
 *
 * <p>The acceptor admits each peer from the kernel's facts alone ({@link PeerAdmission}: uid/gid, owner from its
 * cgroup, connections per owner) and keeps the socket file its own: at every accept and at least every
 * {@code checkInterval} it compares the file at the path with the one it bound, and binds again when it was removed or
 * replaced (with a warning Event).
 */
public final class WorkloadSocketServer implements Closeable {
    private static final Logger LOG = Logger.getLogger(WorkloadSocketServer.class.getName());
    static final String REBOUND = "WorkloadSocketRebound";

    /**
     * Socket settings. {@code group} may be null (keep the agent's group).
     *
     * @param maxConnectionsPerOwner connections one owner (pod) may have open at once; below maxConnections, so one
     *                               pod never takes them all
     * @param checkInterval          how often the socket file is compared with the bound one when no connection comes
     */
    public record Settings(Path path, Set<PosixFilePermission> mode, String group, int maxConnections, int maxConnectionsPerOwner,
                           Duration idleTimeout, Duration checkInterval) {
        public Settings {
            if (maxConnections < 1 || maxConnectionsPerOwner < 1) {
                throw new IllegalArgumentException("max-connections and max-connections-per-owner must be at least 1");
            }
            if (maxConnectionsPerOwner > maxConnections) {
                throw new IllegalArgumentException("max-connections-per-owner (" + maxConnectionsPerOwner + ") is above max-connections ("
                        + maxConnections + "): one workload could take every connection");
            }
        }
    }

    private final Settings settings;
    private final PeerAdmission admission;
    private final WorkloadRequests requests;
    private final SocketMetrics metrics;
    private final SocketEvents events;
    private final ThreadPoolExecutor workers;
    private final Refusals refusals = new Refusals();
    private final WorkloadSubscribers subscribers;
    private volatile AFUNIXServerSocket server;
    /** The socket file this agent bound (null before the first bind). */
    private volatile SocketFileId bound;
    private Thread acceptor;
    private volatile boolean closed;

    public WorkloadSocketServer(Settings settings, PeerPolicy policy, OwnerResolver owners, WorkloadRequests requests, SocketMetrics metrics,
                                SocketEvents events) {
        this(settings, policy, owners, requests, metrics, events, new WorkloadSubscribers());
    }

    /** @param subscribers where connections that subscribe to notices are kept (the engine sends freeze through it) */
    public WorkloadSocketServer(Settings settings, PeerPolicy policy, OwnerResolver owners, WorkloadRequests requests, SocketMetrics metrics,
                                SocketEvents events, WorkloadSubscribers subscribers) {
        this.subscribers = subscribers;
        this.settings = settings;
        this.admission = new PeerAdmission(policy, owners, new ConnectionLimits(settings.maxConnectionsPerOwner()));
        this.requests = requests;
        this.metrics = metrics;
        this.events = events;
        this.workers = new ThreadPoolExecutor(0, settings.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "workload-socket-conn");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the socket with its final mode (never briefly world-writable) and starts accepting. */
    public synchronized void start() throws IOException {
        bind();
        acceptor = new Thread(this::acceptLoop, "workload-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info(() -> "workload socket listening on " + settings.path() + " mode " + PosixFilePermissions.toString(settings.mode())
                + ", peers: " + admission);
    }

    private synchronized void bind() throws IOException {
        Path path = settings.path();
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path); // a stale socket of an earlier agent process, or whatever replaced ours; only one agent holds the device
        // junixsocket closes a server whose socket file was renamed or replaced, so bind in place and
        // fix mode and group right away; the peer-credential check is the gate that always holds.
        // Not deleted on close: by then the path may name a file that is not ours.
        AFUNIXServerSocket s = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path), false);
        try {
            Files.setPosixFilePermissions(path, settings.mode());
            if (settings.group() != null && !settings.group().isBlank()) {
                GroupPrincipal group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(settings.group());
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
            }
            s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.checkInterval().toMillis())));
            bound = SocketFileId.of(path).orElseThrow(() -> new IOException("the socket file " + path + " vanished right after bind"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        server = s;
    }

    public boolean isRunning() {
        return server != null && !closed && acceptor != null && acceptor.isAlive();
    }

    private void acceptLoop() {
        while (!closed) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException quiet) {
                keepBound();
                continue;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                if (keepBound()) {
                    LOG.log(Level.WARNING, "accept on the workload socket failed; continuing", e);
                }
                pauseAfterFailure(); // a failing accept or bind must not spin
                continue;
            }
            keepBound();
            dispatch(socket);
        }
    }

    private void dispatch(AFUNIXSocket socket) {
        PeerAdmission.Decision d;
        try (PeerPidfd pin = PeerPidfd.of(FileDescriptorCast.using(socket.getFileDescriptor()).as(Integer.class))) {
            d = admission.admit(WorkloadConnection.credentials(socket), pin);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not read a workload peer's credentials; closing its connection", e);
            refusals.refuse(socket, ErrorCode.INTERNAL, "the agent could not read this connection's credentials: " + e.getMessage());
            return;
        }
        if (!d.admitted()) {
            metrics.request("connect", d.refusal().name());
            LOG.warning(() -> "refused workload socket peer " + d.peer() + ": " + d.reason());
            refusals.refuse(socket, d.refusal(), d.reason());
            return;
        }
        try {
            workers.execute(new WorkloadConnection(socket, d.peer(), requests, metrics, settings.idleTimeout(), () -> admission.release(d.peer()),
                    subscribers));
        } catch (RejectedExecutionException busy) {
            admission.release(d.peer());
            metrics.request("connect", ErrorCode.BUSY.name());
            refusals.refuse(socket, ErrorCode.BUSY, "the agent serves at most " + settings.maxConnections() + " connections at once; retry");
        }
    }

    /**
     * Whether the path still names the socket this agent bound; if not, binds again and says so.
     *
     * @return true when the socket was (or is again) in place
     */
    private synchronized boolean keepBound() {
        if (closed) {
            return false;
        }
        Path path = settings.path();
        Optional<SocketFileId> now;
        try {
            now = SocketFileId.of(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot stat the workload socket " + path, e);
            return true;
        }
        if (now.isPresent() && now.get().equals(bound) && !server.isClosed()) {
            return true;
        }
        String what = now.isEmpty() ? "was removed" : now.get().equals(bound) ? "stopped accepting"
                : "was replaced (now a " + now.get() + ", the agent bound " + bound + ")";
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the replaced workload socket", e);
        }
        try {
            bind();
        } catch (IOException | RuntimeException e) {
            String message = "the workload socket " + path + " " + what + " and binding it again failed: " + e.getMessage()
                    + "; workloads cannot reach the agent until it works (retrying)";
            LOG.log(Level.SEVERE, message, e);
            events.event(true, REBOUND, message);
            return false;
        }
        String message = "the workload socket " + path + " " + what + "; the agent bound it again. Anything that replaced it"
                + " could take connections meant for the agent in between: workloads check the agent's uid before sending"
                + " (agent-client AgentIdentity); see who can write " + path.getParent();
        LOG.warning(message);
        events.event(true, REBOUND, message);
        return true;
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(Math.min(1000, Math.max(10, settings.checkInterval().toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        refusals.close();
        synchronized (this) {
            closed = true;
            if (server != null) {
                try {
                    server.close();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "closing the workload socket", e);
                }
                try {
                    if (SocketFileId.of(settings.path()).map(id -> id.equals(bound)).orElse(false)) {
                        Files.deleteIfExists(settings.path()); // only our own file
                    }
                } catch (IOException e) {
                    LOG.log(Level.FINE, "removing the workload socket file", e);
                }
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
}
