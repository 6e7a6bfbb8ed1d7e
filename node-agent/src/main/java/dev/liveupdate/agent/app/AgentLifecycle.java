package dev.liveupdate.agent.app;

import dev.liveupdate.agent.config.AgentConfig;
import dev.liveupdate.agent.engine.EngineLoop;
import dev.liveupdate.agent.engine.EngineSettings;
import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.agent.engine.Kexec;
import dev.liveupdate.agent.engine.HaltAfterPhase;
import dev.liveupdate.agent.engine.KernelPolicy;
import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.agent.engine.WorkloadLimits;
import dev.liveupdate.agent.handoff.KubeletPodDirs;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.agent.handoff.PeerPolicy;
import dev.liveupdate.agent.handoff.ProcOwnerResolver;
import dev.liveupdate.agent.handoff.WorkloadSocketServer;
import dev.liveupdate.agent.k8s.KubeEvents;
import dev.liveupdate.agent.k8s.KubePlanAuthority;
import dev.liveupdate.agent.k8s.KubeStatusSink;
import dev.liveupdate.agent.k8s.NodeObjectWatcher;
import dev.liveupdate.agent.k8s.NodeObjects;
import dev.liveupdate.agent.k8s.RetryBackoff;
import dev.liveupdate.agent.kernel.KernelBackend;
import dev.liveupdate.agent.kernel.MeteredKernelCalls;
import dev.liveupdate.agent.standalone.InstructionFile;
import dev.liveupdate.agent.standalone.StatusFile;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sys.KernelCalls;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    private volatile EngineLoop loop;
    private volatile NodeObjectWatcher watcher;
    private volatile InstructionFile instructionFile;
    /** The node's spec source (watch or file) has delivered at least once. */
    private volatile BooleanSupplier specSynced = () -> false;
    private volatile WorkloadSocketServer socket;
    private KubeStatusSink statusSink;
    private KubeEvents events;
    private KubePlanAuthority planAuthority;
    private Thread starter;
    private volatile String startProblem = "starting";

    void onStart(@Observes StartupEvent ev) {
        String node = config.nodeName();
        if (node == null || node.isBlank()) {
            throw new IllegalStateException("liveupdate.agent.node-name is empty: set NODE_NAME (downward API spec.nodeName)");
        }
        RebootStrategy strategy = KernelBackend.parseStrategy(config.rebootStrategy());
        starter = new Thread(() -> startAgent(node, strategy), "agent-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** The simulator's fault injection (halt-after-phase); ignored, with a warning, on a real kernel. */
    private StatusSink withInjectedHalt(StatusSink sink, RebootStrategy strategy) {
        Optional<String> phase = config.simulator().haltAfterPhase().filter(p -> !p.isBlank());
        if (phase.isEmpty()) {
            return sink;
        }
        if (strategy != RebootStrategy.Simulated) {
            LOG.warning("liveupdate.agent.simulator.halt-after-phase is ignored: it only applies to reboot-strategy simulated");
            return sink;
        }
        LOG.warning(() -> "fault injection armed: the agent dies after reporting phase " + phase.get());
        return new HaltAfterPhase(sink, HaltAfterPhase.parsePhase(phase.get()), code -> Runtime.getRuntime().halt(code));
    }

    private void startAgent(String node, RebootStrategy strategy) {
        AgentMetrics metrics = new AgentMetrics(registry);
        KernelBackend backend = strategy == RebootStrategy.Simulated
                ? KernelBackend.simulated(config.simulator().stateDir().orElseThrow(() -> new IllegalStateException(
                        "reboot-strategy simulated needs liveupdate.agent.simulator.state-dir")),
                        Generation.valueOf(config.simulator().generation().trim().toUpperCase()), config.simulator().initialRelease(),
                        config.simulator().luoAvailable())
                : KernelBackend.direct();
        KernelCalls calls = new MeteredKernelCalls(backend.calls(), metrics);
        Optional<Path> standaloneFile = config.standalone().instructionFile();
        StatusFile statusFile = null;
        StatusSink sink;
        PlanAuthority plans;
        EventSink eventSink;
        if (standaloneFile.isPresent()) {
            Path statusPath = config.standalone().statusFile()
                    .orElse(standaloneFile.get().toAbsolutePath().resolveSibling("status.json"));
            statusFile = new StatusFile(statusPath, node);
            sink = statusFile;
            eventSink = (warning, reason, message) -> LOG.log(warning ? Level.WARNING : Level.INFO, "event " + reason + ": " + message);
            plans = PlanAuthority.STANDALONE; // no API server, no plan to ask about (docs/node-agent.md)
            LOG.info(() -> "standalone mode: instruction " + standaloneFile.get() + ", status " + statusPath + " (no API server)");
        } else {
            KubernetesClient client = clients.get();
            statusSink = new KubeStatusSink(client, node, config.fieldManager());
            events = new KubeEvents(client, node, java.time.Clock.systemUTC());
            sink = statusSink;
            eventSink = events;
            planAuthority = new KubePlanAuthority(client, node, KubePlanAuthority.DEFAULT_TIMEOUT);
            plans = planAuthority;
        }
        sink = withInjectedHalt(sink, strategy);
        StatusSink reported = sink;
        StatusSink observed = new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                metrics.observe(status);
                reported.publish(status);
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
                metrics.observe(status);
                reported.publishAndWait(status);
            }
        };
        AgentConfig.KernelPolicyConfig p = config.kernelPolicy();
        KernelPolicy kernelPolicy = new KernelPolicy(p.requireChecksums(), Set.copyOf(p.allowedSha256().orElse(List.of())),
                Set.copyOf(p.allowedInitrdSha256().orElse(List.of())), p.allowedCmdlines().orElse(List.of()), p.allowAnyCmdline());
        LOG.info(() -> "kernel policy: " + kernelPolicy);
        AgentConfig.Socket sc = config.socket();
        WorkloadLimits limits = new WorkloadLimits(sc.maxFilesPerOwner(), sc.maxBytesPerOwner(), sc.releaseGrace());
        OwnerPresence presence = new KubeletPodDirs(sc.kubeletPodsDir(), config.podUid().orElse(null));
        StepEngine engine = new StepEngine(new EngineSettings(node, config.devicePath(), config.stateDir(), strategy, version, config.hostRoot(),
                config.kernelDirs(), kernelPolicy, limits),
                calls, backend.host(), Kexec.through(calls), observed, eventSink, java.time.Clock.systemUTC(), plans, presence);
        LiveUpdateNodeStatus lastReported;
        NodeObjects objects = null;
        if (statusFile != null) {
            lastReported = statusFile.last();
        } else {
            KubernetesClient client = clients.get();
            NodeObjects nodeObjects = new NodeObjects(client, node);
            objects = nodeObjects;
            LiveUpdateNode lun = untilItWorks("LiveUpdateNode " + node, nodeObjects::ensureExists);
            events.setObjectUid(lun.getMetadata().getUid());
            lastReported = lun.getStatus();
        }
        loop = new EngineLoop(engine);
        try {
            loop.start(lastReported, config.tick());
        } catch (Exception e) {
            startProblem = "engine start failed: " + e;
            LOG.log(Level.SEVERE, "the engine failed to start", e);
            return;
        }
        LOG.info(() -> "device settled after " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms since JVM start");
        if (statusFile != null) {
            instructionFile = new InstructionFile(standaloneFile.get(), node, loop::onSpec);
            instructionFile.start(config.tick());
            specSynced = instructionFile::isWatching;
        } else {
            NodeObjects nodeObjects = objects;
            watcher = new NodeObjectWatcher(clients.get(), node, loop,
                    gone -> untilItWorks("re-creating LiveUpdateNode " + node, nodeObjects::ensureExists));
            untilItWorks("watch on LiveUpdateNode " + node, () -> {
                watcher.start();
                return true;
            });
            specSynced = watcher::isWatching;
        }
        EventSink socketEvents = eventSink;
        socket = new WorkloadSocketServer(new WorkloadSocketServer.Settings(sc.path(),
                PosixFilePermissions.fromString(sc.mode()), sc.group().orElse(null),
                sc.maxConnections(), sc.maxConnectionsPerOwner(), sc.idleTimeout(), sc.checkInterval()),
                new PeerPolicy(new HashSet<>(sc.allowedUids()), Set.copyOf(sc.allowedGids().orElse(List.of()))),
                ProcOwnerResolver.host(), loop, metrics, socketEvents::event);
        untilItWorks("workload socket " + config.socket().path(), () -> {
            socket.start();
            return true;
        });
        startProblem = null;
        LOG.info(() -> "agent ready after " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms since JVM start");
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
        if (socket != null) {
            socket.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (instructionFile != null) {
            instructionFile.close();
        }
        if (loop != null) {
            loop.close();
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
        return startProblem == null && loop != null && loop.deviceSettled() && specSynced.getAsBoolean()
                && socket != null && socket.isRunning();
    }

    public String problem() {
        if (startProblem != null) {
            return startProblem;
        }
        if (loop == null || !loop.deviceSettled()) {
            return "/dev/liveupdate not settled (busy or failing to open)";
        }
        if (!specSynced.getAsBoolean()) {
            return config.standalone().instructionFile().isPresent() ? "instruction file not read yet"
                    : "watch on the LiveUpdateNode not established";
        }
        return socket == null || !socket.isRunning() ? "workload socket not listening" : null;
    }

    public String phase() {
        return loop == null ? null : loop.phase();
    }
}
