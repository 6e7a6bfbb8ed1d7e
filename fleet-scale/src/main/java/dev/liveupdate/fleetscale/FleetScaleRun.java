package dev.liveupdate.fleetscale;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.PhaseTimeouts;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.Poll;
import dev.liveupdate.testcluster.RepoLayout;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One fleet-scale run: control plane, kwok, chart, virtual fleet, idle window, operator, plan, measurements.
 * Everything it starts is stopped when it returns.
 */
public final class FleetScaleRun {
    static final String RELEASE = "liveupdate-operator";
    static final String TARGET_RELEASE = "7.3.0-fleet";
    static final Set<PlanPhase> TERMINAL = Set.of(PlanPhase.Succeeded, PlanPhase.Failed, PlanPhase.Halted, PlanPhase.Cancelled);

    private final FleetScaleOptions options;
    private final Path operatorJar;
    private final Consumer<String> progress;
    private final List<String> notes = new ArrayList<>();

    public FleetScaleRun(FleetScaleOptions options, Path operatorJar, Consumer<String> progress) {
        this.options = options;
        this.operatorJar = operatorJar;
        this.progress = progress;
    }

    public FleetScaleResult run() throws Exception {
        if (!Files.isRegularFile(operatorJar)) {
            throw new IllegalStateException("the packaged operator is missing: " + operatorJar
                    + "; package it first: mvn -B -q -pl fleet-scale -am install -DskipTests");
        }
        String loadBefore = LoadAverage.now();
        long setupStart = System.nanoTime();
        wipe(options.workDir());
        Files.createDirectories(options.workDir());
        progress.accept("starting the control plane (etcd, kube-apiserver; no controller-manager)");
        try (TestCluster cluster = TestCluster.builder().withWorkDir(options.workDir().resolve("cluster")).withControllerManager(false).start();
             Kwok kwok = Kwok.start(cluster, options.workDir().resolve("kwok"))) {
            progress.accept("control plane ready at " + cluster.apiServerUrl() + "; kwok pid " + kwok.process().pid());
            Path kernels = Files.createDirectories(options.workDir().resolve("kernels"));
            // The chart's kernel policy admits only plans whose image is in the agents' kernel directories.
            List<HasMetadata> installed = new ChartInstaller(cluster).install(RELEASE, VirtualFleet.NAMESPACE,
                    Map.of("agent.rebootStrategy", "simulated", "agent.kernelDirs", "{" + kernels.toAbsolutePath() + "}"));
            Path image = SimulatedKernel.writeImage(kernels.resolve("vmlinuz-" + TARGET_RELEASE), TARGET_RELEASE);
            try (VirtualFleet fleet = new VirtualFleet(cluster, options, kernels, progress);
                 FleetObserver observer = new FleetObserver()) {
                fleet.start(serviceAccountOf(installed, "agent"));
                observer.start(cluster.client());
                awaitFleetReady(cluster, fleet);
                Duration setup = Duration.ofNanos(System.nanoTime() - setupStart);
                progress.accept("fleet ready: " + options.nodes() + " Nodes Ready (kwok), every agent reported and watching, after "
                        + setup.toSeconds() + " s");
                try (ChartOperator operator = startOperator(cluster, installed)) {
                    return measure(cluster, fleet, observer, operator, image, loadBefore, setup);
                }
            }
        }
    }

    private FleetScaleResult measure(TestCluster cluster, VirtualFleet fleet, FleetObserver observer, ChartOperator operator, Path image,
                                     String loadBefore, Duration setup) throws Exception {
        long apiServerPid = cluster.processes().stream().filter(p -> p.name().contains("apiserver")).mapToLong(ManagedProcess::pid)
                .findFirst().orElse(-1);
        // Idle: the operator has started and synced; nothing runs. What the agents write now is their heartbeat.
        ApiRequests idleBefore = apiRequests(cluster);
        long idleStart = System.nanoTime();
        sleep(options.idle());
        ApiRequests idle = apiRequests(cluster).minus(idleBefore);
        Duration idleWindow = Duration.ofNanos(System.nanoTime() - idleStart);

        OperatorSample opBefore = OperatorSample.from(operator.get("metrics"));
        ProcessSample cpuBefore = ProcessSample.of(operator.pid());
        ProcessSample apiBefore = ProcessSample.of(apiServerPid);
        ApiRequests before = apiRequests(cluster);
        observer.resetCounters();
        IdealSchedule ideal = IdealSchedule.of(options.nodes(), options.resolvedMaxUnavailable(), options.canaryNodes(), options.prepare(),
                options.kexecRestore(), options.soak());
        progress.accept("applying the plan: " + options.nodes() + " nodes, maxUnavailable " + options.maxUnavailable() + " ("
                + options.resolvedMaxUnavailable() + "), canary " + options.canaryNodes() + ", " + ideal.waves() + " waves; ideal "
                + ideal.total().toMillis() + " ms");
        long start = System.nanoTime();
        cluster.client().resource(plan(image)).fieldManager("fleet-scale").forceConflicts().serverSideApply();
        double opRssMax = 0;
        double apiRssMax = 0;
        long deadline = start + options.timeout().toNanos();
        long lastReport = 0;
        PlanPhase phase = null;
        Duration preflightAt = null;
        while (System.nanoTime() < deadline) {
            observer.sample();
            ProcessSample op = ProcessSample.of(operator.pid());
            ProcessSample api = ProcessSample.of(apiServerPid);
            if (op == null) {
                throw new IllegalStateException("the operator died; see " + operator.log());
            }
            opRssMax = Math.max(opRssMax, op.rssMib());
            apiRssMax = api == null ? apiRssMax : Math.max(apiRssMax, api.rssMib());
            LiveUpdate lu = observer.plan();
            phase = lu == null || lu.getStatus() == null ? null : lu.getStatus().getPhase();
            if (phase != null && TERMINAL.contains(phase)) {
                break;
            }
            if (preflightReported(lu)) {
                preflightAt = Duration.ofNanos(System.nanoTime() - start);
                break;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept(String.format("[%5.1fs] plan %s, wave %s, %s", (lastReport - start) / 1e9, phase,
                        lu == null || lu.getStatus() == null ? "-" : lu.getStatus().getCurrentWave(),
                        lu == null || lu.getStatus() == null ? "" : lu.getStatus().getProgress()));
            }
            sleep(Duration.ofMillis(250));
        }
        Duration makespan = Duration.ofNanos(System.nanoTime() - start);
        observer.sample();
        if (options.missingKernel() > 0) {
            notePreflight(cluster, observer, preflightAt);
        } else if (phase == null || !TERMINAL.contains(phase)) {
            notes.add("the plan did not end within fleet.timeout=" + options.timeout() + " (phase " + phase + ")");
        }
        progress.accept("plan " + phase + " after " + makespan.toMillis() + " ms; waiting for the last acknowledgements");
        long stalled = fleet.nodes().values().stream().filter(VirtualNode::stalls).count();
        awaitQuietly("acknowledgements", Duration.ofSeconds(30), () -> observer.unacknowledged() <= stalled);
        ApiRequests during = apiRequests(cluster).minus(before);
        ProcessSample cpuAfter = ProcessSample.of(operator.pid());
        ProcessSample apiAfter = ProcessSample.of(apiServerPid);
        OperatorSample opAfter = OperatorSample.from(operator.get("metrics"));
        LiveUpdate lu = observer.plan();
        Map<Integer, Long> kexecs = fleet.nodes().values().stream()
                .collect(Collectors.groupingBy(VirtualNode::kexecs, TreeMap::new, Collectors.counting()));
        int updated = (int) fleet.nodes().values().stream().filter(n -> n.kexecs() == 1).count();
        int failed = (int) observer.columns().values().stream().filter(c -> c == FleetObserver.Column.FAILED).count();
        return new FleetScaleResult(options, ideal, phase, lu == null || lu.getStatus() == null ? null : lu.getStatus().getMessage(),
                makespan, updated, kexecs, failed, fleet.rebootFailures(), during, idle, idleWindow,
                Percentiles.of(observer.ackNanos()), observer.ackByStep(), observer.instructions(), observer.unacknowledged(),
                cpuAfter.cpuMillis() - cpuBefore.cpuMillis(), opRssMax, cpuAfter.rssMib(), opBefore, opAfter, apiRssMax,
                apiAfter == null || apiBefore == null ? Double.NaN : apiAfter.cpuMillis() - apiBefore.cpuMillis(),
                observer.rows(), observer.planMarks(), List.copyOf(notes), loadBefore, LoadAverage.now(), setup);
    }

    /** With nodes lacking the kernel: fleet preflight reported every one of them (the run's end). */
    private boolean preflightReported(LiveUpdate lu) {
        return options.missingKernel() > 0 && lu != null && lu.getStatus() != null && lu.getStatus().getPreflight() != null
                && lu.getStatus().getPreflight().getBlockingNodes() != null
                && lu.getStatus().getPreflight().getBlockingNodes() >= options.missingKernel();
    }

    /** What fleet preflight did with the nodes lacking the kernel: how soon it said so, and that it touched no node. */
    private void notePreflight(TestCluster cluster, FleetObserver observer, Duration reportedAfter) {
        long cordoned = cluster.client().nodes().withLabel(Kwok.LABEL, "true").list().getItems().stream()
                .filter(n -> n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())).count();
        LiveUpdate lu = observer.plan();
        var pf = lu == null || lu.getStatus() == null ? null : lu.getStatus().getPreflight();
        notes.add("preflight: " + (reportedAfter == null ? "did NOT report the " + options.missingKernel()
                + " node(s) lacking the kernel within fleet.timeout=" + options.timeout()
                : pf.getBlockingNodes() + " blocking node(s) of " + pf.getCheckedNodes() + " checked, reported "
                        + reportedAfter.toMillis() + " ms after the plan was applied")
                + "; instructions written " + observer.instructions() + ", nodes cordoned " + cordoned
                + (pf == null || pf.getFindings() == null ? "" : "; findings " + pf.getFindings().stream()
                        .map(f -> f.getReason() + " x" + f.getCount() + " " + f.getNodes()).toList()));
    }

    /** The plan: every fleet node, the target kernel by checksum, one session, the strategy of the options. */
    private LiveUpdate plan(Path image) throws IOException {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName("fleet-scale").build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(Kwok.LABEL, "true").build());
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease(TARGET_RELEASE);
        kernel.setImage(image.toAbsolutePath().toString());
        kernel.setSha256(sha256(image));
        spec.setKernel(kernel);
        SessionSpec session = new SessionSpec();
        session.setName("vm-memory");
        session.setRequired(false);
        spec.setSessions(List.of(session));
        RolloutStrategy strategy = new RolloutStrategy();
        String mu = options.maxUnavailable().trim();
        strategy.setMaxUnavailable(mu.endsWith("%") ? new IntOrString(mu) : new IntOrString(Integer.parseInt(mu)));
        strategy.setCanaryNodes(options.canaryNodes());
        if (!options.soak().isZero()) {
            strategy.setSoakTime(options.soak().toSeconds() + "s");
        }
        if (options.maxFailures() != null) {
            strategy.setMaxFailures(options.maxFailures());
        }
        if (options.missingKernel() > 0) {
            strategy.setPreflight(PreflightPolicy.Halt); // what is measured: the report, before any wave
        } else if (options.failPercent() > 0) {
            strategy.setPreflight(PreflightPolicy.Report); // what is measured: failures in the waves, as before preflight
        }
        spec.setStrategy(strategy);
        if (options.prepareTimeout() != null) {
            PhaseTimeouts t = new PhaseTimeouts();
            t.setPrepare(options.prepareTimeout().toSeconds() + "s");
            spec.setTimeouts(t);
        }
        lu.setSpec(spec);
        return lu;
    }

    private void awaitFleetReady(TestCluster cluster, VirtualFleet fleet) {
        String what = "every Node Ready (kwok), every LiveUpdateNode reported capable, every agent watching";
        Poll.until(what, Duration.ofMinutes(15), Duration.ofSeconds(1), () -> {
            long ready = cluster.client().nodes().withLabel(Kwok.LABEL, "true").list().getItems().stream().filter(FleetScaleRun::isReady).count();
            long capable = cluster.client().resources(LiveUpdateNode.class).list().getItems().stream()
                    .filter(l -> l.getStatus() != null && l.getStatus().getInventory() != null
                            && Boolean.TRUE.equals(l.getStatus().getInventory().getCapable()))
                    .count();
            long watching = fleet.watching();
            if (ready == options.nodes() && capable == options.nodes() && watching == options.nodes()) {
                return java.util.Optional.of(true);
            }
            return java.util.Optional.<Boolean>empty();
        }, () -> java.util.Optional.<String>empty());
    }

    static boolean isReady(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null
                && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private ChartOperator startOperator(TestCluster cluster, List<HasMetadata> installed) {
        return startOperator(cluster, installed, operatorJar, options.workDir().resolve("operator"), progress);
    }

    /** The packaged operator with the chart's environment and a token of its ServiceAccount, once ready. */
    static ChartOperator startOperator(TestCluster cluster, List<HasMetadata> installed, Path operatorJar, Path dir,
                                       Consumer<String> progress) {
        String account = serviceAccountOf(installed, "operator");
        String token = cluster.client().serviceAccounts().inNamespace(VirtualFleet.NAMESPACE).withName(account)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24L * 3600).endSpec().build())
                .getStatus().getToken();
        Path kubeconfig = cluster.kubeconfigForToken("operator", token);
        Map<String, String> env = ChartOperator.chartEnvironment(installed, VirtualFleet.NAMESPACE);
        ChartOperator operator = ChartOperator.start(operatorJar, kubeconfig, env, dir);
        progress.accept("operator started (pid " + operator.pid() + ", JDK_JAVA_OPTIONS=" + env.get("JDK_JAVA_OPTIONS") + ", log " + operator.log() + ")");
        Poll.until("the operator ready (/q/health/ready)", Duration.ofMinutes(3), () -> {
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited; see " + operator.log());
            }
            return operator.get("health/ready") != null;
        });
        return operator;
    }

    static String serviceAccountOf(List<HasMetadata> installed, String component) {
        return installed.stream().filter(ServiceAccount.class::isInstance)
                .filter(o -> component.equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .map(o -> o.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart installed no ServiceAccount for the " + component));
    }

    static ApiRequests apiRequests(TestCluster cluster) {
        return ApiRequests.from(cluster.client().raw(cluster.apiServerUrl() + "/metrics"));
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitQuietly(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        notes.add("not all " + what + " arrived within " + timeout.toSeconds() + " s");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The repository's packaged operator. */
    public static Path defaultOperatorJar() {
        return RepoLayout.locate().root().resolve("operator/target/quarkus-app/quarkus-run.jar");
    }
}
