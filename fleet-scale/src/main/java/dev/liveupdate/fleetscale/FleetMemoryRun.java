package dev.liveupdate.fleetscale;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.PhaseTimeouts;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.Poll;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operator's memory at fleet size without agents ({@link StaticFleet}): control plane, kwok, chart, one real
 * virtual agent whose report becomes the template, N-1 static nodes, the operator with the chart's flags. Measured
 * twice at steady state: idle (caches synced, no plan) and holding a plan's first wave (every node selected, no
 * canary, maxUnavailable 10%: that many nodes get a Prepare instruction nobody answers, the prepare timeout is an
 * hour, so the plan stays in its first wave with its instructions outstanding while its passes go over every node).
 */
final class FleetMemoryRun {
    /** The measured figures of one fleet size. */
    record Result(int nodes, Duration setup, Snapshot idle, Snapshot plan, int instructed, String planPhase) {
    }

    /** One steady state: the operator's RSS over the window and after a full GC, the API server's RSS, the load. */
    record Snapshot(double operatorRssPeakMib, double operatorRssMaxMib, JvmMemory operator, double apiServerRssMib, String load) {
    }

    static final String MAX_UNAVAILABLE = "10%";

    private final int nodes;
    private final Duration settle;
    private final Path workDir;
    private final Path operatorJar;
    private final Consumer<String> progress;

    FleetMemoryRun(int nodes, Duration settle, Path workDir, Path operatorJar, Consumer<String> progress) {
        if (nodes < 1) {
            throw new IllegalArgumentException("fleet sizes must be at least 1, got " + nodes);
        }
        this.nodes = nodes;
        this.settle = settle;
        this.workDir = workDir;
        this.operatorJar = operatorJar;
        this.progress = progress;
    }

    Result run() throws Exception {
        if (!Files.isRegularFile(operatorJar)) {
            throw new IllegalStateException("the packaged operator is missing: " + operatorJar
                    + "; package it first: mvn -B -q -pl fleet-scale -am package -DskipTests");
        }
        long setupStart = System.nanoTime();
        FleetScaleRun.wipe(workDir);
        Files.createDirectories(workDir);
        try (TestCluster cluster = TestCluster.builder().withWorkDir(workDir.resolve("cluster")).withControllerManager(false).start();
             Kwok kwok = Kwok.start(cluster, workDir.resolve("kwok"))) {
            Path kernels = Files.createDirectories(workDir.resolve("kernels"));
            List<HasMetadata> installed = new ChartInstaller(cluster).install(FleetScaleRun.RELEASE, VirtualFleet.NAMESPACE,
                    Map.of("agent.rebootStrategy", "simulated", "agent.kernelDirs", "{" + kernels.toAbsolutePath() + "}"));
            Path image = SimulatedKernel.writeImage(kernels.resolve("vmlinuz-" + FleetScaleRun.TARGET_RELEASE), FleetScaleRun.TARGET_RELEASE);
            LiveUpdateNodeStatus template = agentReport(cluster, installed, kernels);
            progress.accept(nodes + " nodes: template report from a real agent: "
                    + io.fabric8.kubernetes.client.utils.Serialization.asJson(template));
            new StaticFleet(cluster.client(), template, FleetScaleRun.serviceAccountOf(installed, "agent"), 16, progress).create(1, nodes);
            awaitFleet(cluster);
            Duration setup = Duration.ofNanos(System.nanoTime() - setupStart);
            progress.accept(nodes + " nodes Ready and reported capable after " + setup.toSeconds() + " s");
            long apiServerPid = cluster.processes().stream().filter(p -> p.name().contains("apiserver")).mapToLong(ManagedProcess::pid)
                    .findFirst().orElse(-1);
            try (ChartOperator operator = FleetScaleRun.startOperator(cluster, installed, operatorJar, workDir.resolve("operator"), progress)) {
                Snapshot idle = steady(operator, apiServerPid, "idle");
                cluster.client().resource(plan(image)).fieldManager("fleet-scale").forceConflicts().serverSideApply();
                int wave = Math.max(1, nodes * 10 / 100);
                int instructed = Poll.until("the first wave's " + wave + " Prepare instructions written", Duration.ofMinutes(10),
                        Duration.ofSeconds(1), () -> {
                            int n = instructed(cluster);
                            return n >= wave ? Optional.of(n) : Optional.<Integer>empty();
                        }, Optional::<String>empty);
                progress.accept(nodes + " nodes: " + instructed + " instructions written; holding the first wave");
                Snapshot plan = steady(operator, apiServerPid, "plan");
                LiveUpdate lu = cluster.client().resources(LiveUpdate.class).withName("fleet-scale").get();
                String phase = lu == null || lu.getStatus() == null ? "-" : lu.getStatus().getPhase() + " (" + lu.getStatus().getProgress() + ")";
                return new Result(nodes, setup, idle, plan, instructed(cluster), phase);
            }
        }
    }

    /** The report of one real virtual agent on node 0 (its engine and status code over the simulator); the agent is then stopped. */
    private LiveUpdateNodeStatus agentReport(TestCluster cluster, List<HasMetadata> installed, Path kernels) throws Exception {
        FleetScaleOptions one = new FleetScaleOptions(1, Duration.ofSeconds(1), Duration.ofSeconds(1), "1", 0, Duration.ZERO, 0, 0, null,
                null, Duration.ZERO, Duration.ofMinutes(1), workDir.resolve("template.txt"), workDir);
        try (VirtualFleet fleet = new VirtualFleet(cluster, one, kernels, progress)) {
            fleet.start(FleetScaleRun.serviceAccountOf(installed, "agent"));
            return Poll.until("the template agent's capable report", Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
                LiveUpdateNode l = cluster.client().resources(LiveUpdateNode.class).withName(FleetScaleOptions.nodeName(0)).get();
                boolean capable = l != null && l.getStatus() != null && l.getStatus().getInventory() != null
                        && Boolean.TRUE.equals(l.getStatus().getInventory().getCapable());
                return capable ? Optional.of(l.getStatus()) : Optional.<LiveUpdateNodeStatus>empty();
            }, Optional::<String>empty);
        }
    }

    private void awaitFleet(TestCluster cluster) {
        Poll.until("every Node Ready (kwok) and every LiveUpdateNode capable", Duration.ofMinutes(15), Duration.ofSeconds(2), () -> {
            long ready = cluster.client().nodes().withLabel(Kwok.LABEL, "true").list().getItems().stream().filter(FleetScaleRun::isReady).count();
            long capable = cluster.client().resources(LiveUpdateNode.class).list().getItems().stream()
                    .filter(l -> l.getStatus() != null && l.getStatus().getInventory() != null
                            && Boolean.TRUE.equals(l.getStatus().getInventory().getCapable()))
                    .count();
            return ready == nodes && capable == nodes ? Optional.of(true) : Optional.<Boolean>empty();
        }, Optional::<String>empty);
    }

    private static int instructed(TestCluster cluster) {
        return (int) cluster.client().resources(LiveUpdateNode.class).list().getItems().stream()
                .filter(l -> l.getSpec() != null && l.getSpec().getInstruction() != null).count();
    }

    /** RSS sampled every second through the settle window, then the live set after a full GC. */
    private Snapshot steady(ChartOperator operator, long apiServerPid, String what) {
        progress.accept(nodes + " nodes, " + what + ": settling " + settle.toSeconds() + " s");
        double rssMax = 0;
        long end = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < end) {
            ProcessSample op = ProcessSample.of(operator.pid());
            if (op == null) {
                throw new IllegalStateException("the operator died; see " + operator.log());
            }
            rssMax = Math.max(rssMax, op.rssMib());
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        JvmMemory m = JvmMemory.afterFullGc(operator.pid());
        ProcessSample api = ProcessSample.of(apiServerPid);
        ProcessSample op = ProcessSample.of(operator.pid());
        Snapshot s = new Snapshot(op == null ? Double.NaN : op.hwmKib() / 1024.0, Math.max(rssMax, m.rssMib()), m, api == null ? Double.NaN : api.rssMib(), LoadAverage.now());
        progress.accept(nodes + " nodes, " + what + ": " + s);
        return s;
    }

    private LiveUpdate plan(Path image) throws java.io.IOException {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName("fleet-scale").build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(Kwok.LABEL, "true").build());
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease(FleetScaleRun.TARGET_RELEASE);
        kernel.setImage(image.toAbsolutePath().toString());
        kernel.setSha256(FleetScaleRun.sha256(image));
        spec.setKernel(kernel);
        SessionSpec session = new SessionSpec();
        session.setName("vm-memory");
        session.setRequired(false);
        spec.setSessions(List.of(session));
        RolloutStrategy strategy = new RolloutStrategy();
        strategy.setMaxUnavailable(new IntOrString(MAX_UNAVAILABLE));
        strategy.setCanaryNodes(0);
        spec.setStrategy(strategy);
        PhaseTimeouts t = new PhaseTimeouts();
        t.setPrepare("3600s");
        spec.setTimeouts(t);
        lu.setSpec(spec);
        return lu;
    }
}
