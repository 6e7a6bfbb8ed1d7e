package dev.liveupdate.agent.app;

import dev.liveupdate.agent.config.AgentConfig;
import dev.liveupdate.agent.k8s.KubeEvents;
import dev.liveupdate.agent.k8s.KubePlanAuthority;
import dev.liveupdate.agent.k8s.KubeStatusSink;
import dev.liveupdate.agent.k8s.NodeObjectWatcher;
import dev.liveupdate.agent.k8s.NodeObjects;
import dev.liveupdate.agent.k8s.RetryBackoff;
import dev.liveupdate.agent.standalone.InstructionFile;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the agent at startup and keeps Kubernetes thin: the engine decides, this class only
 * connects it to the cluster (watch in, status and events out), the kernel and the socket.
 */
@ApplicationScoped
public class AgentLifecycle {
    private static final Logger LOG = Logger.getLogger(AgentLifecycle.class.getName());

    @Inject
    AgentConfig config;
    /** Only resolved in cluster mode: standalone mode never builds a client. */
    @Inject
    Instance<KubernetesClient> clients;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private volatile LocalStart local;
    private volatile NodeObjectWatcher watcher;
    private volatile InstructionFile instructionFile;
    /** The node's spec source (watch or file) has delivered at least once. */
    private volatile BooleanSupplier specSynced = () -> false;
    private KubeStatusSink statusSink;
    private KubeEvents events;
    private KubePlanAuthority planAuthority;
    private Thread starter;
    private volatile String startProblem = "starting";

    void onStart(@Observes StartupEvent ev) {
        EarlyStart.Started early = EarlyStart.take();
        if (early != null) {
            early.registry().add(registry); // the meters made before Quarkus now reach /q/metrics
        }
        starter = new Thread(() -> startAgent(early), "agent-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Restore first (docs/node-agent.md): whatever needs no API server runs before anything that does. After a kexec
     * {@link EarlyStart} has usually done it before Quarkus; otherwise it happens here, then the API server.
     */
    private void startAgent(EarlyStart.Started early) {
        try {
            local = early != null ? early.local() : new LocalStart(config, registry, version, new BlackoutMarks());
        } catch (RuntimeException e) {
            startProblem = "agent set-up failed: " + e.getMessage();
            LOG.log(Level.SEVERE, "the agent could not be set up; fix the configuration and restart it", e);
            return;
        }
        if (!local.engineStarted()) {
            try {
                local.startBeforeApi();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "restoring before the API server failed; retrying once it is reached", e);
            }
        }
        String node = local.node();
        if (local.standalone()) {
            if (!startEngine(local.standaloneStatus())) {
                return;
            }
            instructionFile = new InstructionFile(config.standalone().instructionFile().orElseThrow(), node, local.loop()::onSpec);
            instructionFile.start(config.tick());
            specSynced = instructionFile::isWatching;
        } else {
            KubernetesClient client = clients.get();
            statusSink = new KubeStatusSink(client, node, config.fieldManager());
            events = new KubeEvents(client, node, java.time.Clock.systemUTC());
            planAuthority = new KubePlanAuthority(client, node, KubePlanAuthority.DEFAULT_TIMEOUT);
            NodeObjects nodeObjects = new NodeObjects(client, node);
            LiveUpdateNode lun = untilItWorks("LiveUpdateNode " + node, nodeObjects::ensureExists);
            events.setObjectUid(lun.getMetadata().getUid());
            local.attachApi(statusSink, events, planAuthority);
            LOG.info(() -> "API server reached after " + BlackoutMarks.uptimeMillis() + " ms since the process started");
            if (!startEngine(lun.getStatus())) {
                return;
            }
            watcher = new NodeObjectWatcher(client, node, local.loop(),
                    gone -> {
                        untilItWorks("re-creating LiveUpdateNode " + node, nodeObjects::ensureExists);
                        statusSink.republish();
                    });
            untilItWorks("watch on LiveUpdateNode " + node, () -> {
                watcher.start();
                return true;
            });
            specSynced = watcher::isWatching;
        }
        untilItWorks("workload socket " + config.socket().path(), () -> {
            local.startSocket();
            return true;
        });
        startProblem = null;
        LOG.info(local::readyLine);
    }

    /** Starts the engine unless the restore-first start already did; false (and the problem kept) when it failed. */
    private boolean startEngine(LiveUpdateNodeStatus lastReported) {
        try {
            local.startEngine(lastReported);
            return true;
        } catch (Exception e) {
            startProblem = "engine start failed: " + e;
            LOG.log(Level.SEVERE, "the engine failed to start", e);
            return false;
        }
    }

    /**
     * Retries with jittered backoff (about 1s doubling to 30s, at least the server's Retry-After): the API server or
     * the Node may not be there yet, and a whole fleet of agents restarting together must not retry in lock-step.
     */
    private <T> T untilItWorks(String what, java.util.concurrent.Callable<T> work) {
        RetryBackoff backoff = RetryBackoff.standard();
        while (true) {
            try {
                return work.call();
            } catch (Exception e) {
                startProblem = what + ": " + e.getMessage();
                Duration delay = backoff.next(e);
                LOG.warning(what + " failed: " + e.getMessage() + "; retrying in " + delay.toMillis() + " ms");
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting", ie);
                }
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        // Nothing is cancelled here on purpose: the sessions live as long as this process holds their
        // fds, and whatever a restart finds is handled by the next agent's recovery.
        if (watcher != null) {
            watcher.close();
        }
        if (instructionFile != null) {
            instructionFile.close();
        }
        if (local != null) {
            local.close();
        }
        if (statusSink != null) {
            statusSink.close();
        }
        if (events != null) {
            events.close();
        }
        if (planAuthority != null) {
            planAuthority.close();
        }
    }

    /** Ready: the device is open or known absent, the watch is up and the socket listens. */
    public boolean ready() {
        LocalStart l = local;
        return startProblem == null && l != null && l.loop().deviceSettled() && specSynced.getAsBoolean() && l.socket().isRunning();
    }

    public String problem() {
        if (startProblem != null) {
            return startProblem;
        }
        LocalStart l = local;
        if (l == null || !l.loop().deviceSettled()) {
            return "/dev/liveupdate not settled (busy or failing to open)";
        }
        if (!specSynced.getAsBoolean()) {
            return config.standalone().instructionFile().isPresent() ? "instruction file not read yet"
                    : "watch on the LiveUpdateNode not established";
        }
        return !l.socket().isRunning() ? "workload socket not listening" : null;
    }

    public String phase() {
        LocalStart l = local;
        return l == null ? null : l.loop().phase();
    }
}
