package dev.liveupdate.agent.app;

import dev.liveupdate.agent.config.AgentConfig;
import dev.liveupdate.agent.staging.KernelStaging;
import dev.liveupdate.agent.staging.StagingSettings;
import dev.liveupdate.agent.engine.EngineLoop;
import dev.liveupdate.agent.engine.EngineSettings;
import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.agent.engine.HaltAfterPhase;
import dev.liveupdate.agent.engine.Kexec;
import dev.liveupdate.agent.engine.KernelPolicy;
import dev.liveupdate.agent.engine.LocalState;
import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.agent.engine.UpdateRecord;
import dev.liveupdate.agent.engine.WorkloadLimits;
import dev.liveupdate.agent.handoff.KubeletPodDirs;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.agent.handoff.PeerPolicy;
import dev.liveupdate.agent.handoff.ProcOwnerResolver;
import dev.liveupdate.agent.handoff.WorkloadSocketServer;
import dev.liveupdate.agent.kernel.KernelBackend;
import dev.liveupdate.agent.kernel.MeteredKernelCalls;
import dev.liveupdate.agent.standalone.StatusFile;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sys.KernelCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The part of the agent that needs no API server: the kernel, the engine and the workload socket. After a kexec it
 * starts first ({@link #startBeforeApi}): the device is opened, the sessions the local update record names are
 * retrieved and the socket serves the workloads before a Kubernetes client exists; the API server hears about it
 * once {@link ApiRelay#attach} connects it. Every other start waits for the LiveUpdateNode's status, as before.
 *
 * <p>Nothing here acts on the node's instruction: the engine only learns it from the watch, after the API server is
 * reached, so FINISH still waits for the operator's instruction and a prepare or kexec for the plan's confirmation.
 */
final class LocalStart implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalStart.class.getName());

    private final AgentConfig config;
    private final String node;
    private final AgentMetrics metrics;
    private final ApiRelay relay = new ApiRelay();
    private final LocalState local;
    private final StatusFile statusFile;
    private final KernelBackend backend;
    private final EngineLoop loop;
    private final WorkloadSocketServer socket;
    private final BlackoutMarks marks;
    private final StartupTimeline timeline = new StartupTimeline();
    private volatile boolean engineStarted;
    private volatile boolean startedBeforeApi;
    private volatile boolean restoreFirstOffLogged;

    LocalStart(AgentConfig config, MeterRegistry registry, String version, BlackoutMarks marks) {
        this.config = config;
        this.marks = marks;
        this.node = config.nodeName();
        if (node == null || node.isBlank()) {
            throw new IllegalStateException("liveupdate.agent.node-name is empty: set NODE_NAME (downward API spec.nodeName)");
        }
        RebootStrategy strategy = KernelBackend.parseStrategy(config.rebootStrategy());
        this.metrics = new AgentMetrics(registry);
        this.backend = strategy == RebootStrategy.Simulated
                ? KernelBackend.simulated(config.simulator().stateDir().orElseThrow(() -> new IllegalStateException(
                        "reboot-strategy simulated needs liveupdate.agent.simulator.state-dir")),
                        Generation.valueOf(config.simulator().generation().trim().toUpperCase()), config.simulator().initialRelease(),
                        config.simulator().luoAvailable())
                : KernelBackend.direct();
        KernelCalls calls = new MeteredKernelCalls(backend.calls(), metrics);
        this.local = new LocalState(config.stateDir());
        Optional<Path> standalone = config.standalone().instructionFile();
        if (standalone.isPresent()) {
            Path statusPath = config.standalone().statusFile().orElse(standalone.get().toAbsolutePath().resolveSibling("status.json"));
            statusFile = new StatusFile(statusPath, node);
            relay.attach(towardsApi(statusFile), (warning, reason, message) -> LOG.log(warning ? Level.WARNING : Level.INFO,
                    "event " + reason + ": " + message), PlanAuthority.STANDALONE); // no API server, no plan to ask about
            LOG.info(() -> "standalone mode: instruction " + standalone.get() + ", status " + statusPath + " (no API server)");
        } else {
            statusFile = null;
        }
        StatusSink sink = withInjectedHalt(relay, strategy);
        StatusSink observed = new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                metrics.observe(status);
                sink.publish(status);
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
                metrics.observe(status);
                sink.publishAndWait(status);
            }
        };
        AgentConfig.KernelPolicyConfig p = config.kernelPolicy();
        KernelPolicy kernelPolicy = new KernelPolicy(p.requireChecksums(), Set.copyOf(p.allowedSha256().orElse(List.of())),
                Set.copyOf(p.allowedInitrdSha256().orElse(List.of())), p.allowedCmdlines().orElse(List.of()), p.allowAnyCmdline());
        LOG.info(() -> "kernel policy: " + kernelPolicy);
        AgentConfig.Socket sc = config.socket();
        WorkloadLimits limits = new WorkloadLimits(sc.maxFilesPerOwner(), sc.maxBytesPerOwner(), sc.releaseGrace());
        OwnerPresence presence = new KubeletPodDirs(sc.kubeletPodsDir(), config.podUid().orElse(null));
        AgentConfig.Staging st = config.staging();
        StagingSettings staging = new StagingSettings(st.dir(), config.hostRoot().resolve(Path.of("/").relativize(st.dir())),
                st.allowedUrlPrefixes().orElse(List.of()), st.maxBytes(), st.connectTimeout(), st.stallTimeout(), st.retryInterval(), st.caBundle());
        LOG.info(() -> "kernel staging: " + staging.hostDir() + (staging.allowedPrefixes().isEmpty() ? ", no URL prefix allowed (URL kernels refused)"
                : ", from " + staging.allowedPrefixes()));
        StepEngine engine = new StepEngine(new EngineSettings(node, config.devicePath(), config.stateDir(), strategy, version, config.hostRoot(),
                config.kernelDirs(), kernelPolicy, limits, st.dir()),
                calls, backend.host(), Kexec.through(calls), observed, relay, Clock.systemUTC(), relay, presence);
        engine.useStaging(new KernelStaging(staging, config.stateDir(), Clock.systemUTC()));
        this.loop = new EngineLoop(engine);
        this.socket = new WorkloadSocketServer(new WorkloadSocketServer.Settings(sc.path(),
                PosixFilePermissions.fromString(sc.mode()), sc.group().orElse(null),
                sc.maxConnections(), sc.maxConnectionsPerOwner(), sc.idleTimeout(), sc.checkInterval()),
                new PeerPolicy(new HashSet<>(sc.allowedUids()), Set.copyOf(sc.allowedGids().orElse(List.of()))),
                ProcOwnerResolver.host(), loop, metrics, relay::event, engine.notices());
    }

    /**
     * What a status goes through between the relay and the API server (or the standalone status file): this process's
     * blackout marks are added, then the copy for the next process is kept.
     */
    StatusSink towardsApi(StatusSink target) {
        StatusSink timed = new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                timeline.mark(StartupTimeline.FIRST_STATUS_WRITE);
                target.publish(status);
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
                timeline.mark(StartupTimeline.FIRST_STATUS_WRITE);
                target.publishAndWait(status);
            }
        };
        return marks.around(new StatusCache(config.stateDir(), timed));
    }

    /** Connects the API server's sinks: what waited goes out now. */
    void attachApi(StatusSink status, EventSink events, PlanAuthority plans) {
        marks.apiConnected();
        timeline.mark(StartupTimeline.API_REACHED);
        relay.attach(towardsApi(status), events, plans);
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

    /**
     * Starts the engine and the socket now when the agent can do so without the API server: in standalone mode, and
     * after a kexec whose update record this host keeps, with the status this agent last reported for that plan.
     *
     * @return true when started; false when the engine needs the API server's status first (or restore-first is off)
     */
    boolean startBeforeApi() throws Exception {
        if (statusFile == null && !config.restoreFirst()) {
            if (!restoreFirstOffLogged) {
                restoreFirstOffLogged = true;
                LOG.info("restore-first is off: the engine and the workload socket start after the API server is reached");
            }
            return false;
        }
        Optional<LiveUpdateNodeStatus> last = statusFile != null ? Optional.ofNullable(statusFile.last()) : restoreFirstStatus();
        if (statusFile == null && last.isEmpty()) {
            return false;
        }
        startEngine(last.orElse(null));
        startSocket();
        startedBeforeApi = true;
        return true;
    }

    /**
     * The status to restore from before the API server: only after a kexec of an update this host recorded (reboot
     * issued, boot ID changed), and only when the kept status copy names that same plan; otherwise empty.
     */
    private Optional<LiveUpdateNodeStatus> restoreFirstStatus() {
        Optional<UpdateRecord> update = local.update();
        if (update.isEmpty() || update.get().rebootIssuedAt() == null || update.get().bootIDBefore().equals(backend.host().bootId())) {
            return Optional.empty();
        }
        String planUid = update.get().planUid();
        Optional<LiveUpdateNodeStatus> last = StatusCache.read(config.stateDir())
                .filter(s -> s.getPlan() != null && planUid.equals(s.getPlan().getUid()));
        if (last.isEmpty()) {
            LOG.warning("after the kexec of plan " + update.get().planName() + " no status copy of that plan is kept in "
                    + config.stateDir() + "; restoring after the API server is reached");
        }
        return last;
    }

    /** Opens the device and recovers (retrieving what the kexec handed over); idempotent. */
    synchronized void startEngine(LiveUpdateNodeStatus lastReported) throws Exception {
        if (engineStarted) {
            return;
        }
        marks.seed(lastReported);
        loop.start(lastReported, config.tick());
        engineStarted = true;
        timeline.mark(StartupTimeline.DEVICE_SETTLED);
        LOG.info(() -> "device settled after " + BlackoutMarks.uptimeMillis() + " ms since JVM start");
    }

    /** Serves the workload socket; idempotent. */
    synchronized void startSocket() throws Exception {
        if (socket.isRunning()) {
            return;
        }
        java.time.Instant binding = java.time.Instant.now();
        socket.start();
        marks.socketServing(binding);
        timeline.mark(StartupTimeline.SOCKET_SERVING);
        LOG.info(() -> "workload socket " + config.socket().path() + " serving after " + BlackoutMarks.uptimeMillis() + " ms since JVM start");
    }

    /** The "agent ready" log line with the start-up's steps. */
    String readyLine() {
        if (startedBeforeApi) {
            return timeline.readyLine(standalone() ? "standalone" : "restore first");
        }
        return timeline.readyLine(config.restoreFirst() ? "API first (nothing to restore before it)" : "API first (restore-first off)");
    }

    boolean engineStarted() {
        return engineStarted;
    }

    boolean standalone() {
        return statusFile != null;
    }

    /** Standalone mode: the status this agent last wrote to its status file (null on a first start). */
    LiveUpdateNodeStatus standaloneStatus() {
        return statusFile == null ? null : statusFile.last();
    }

    String node() {
        return node;
    }

    EngineLoop loop() {
        return loop;
    }

    WorkloadSocketServer socket() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
        loop.close();
    }
}
