package dev.liveupdate.e2e;

import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.RestoreSpec;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.sandbox.Fault;
import dev.liveupdate.sandbox.Fleet;
import dev.liveupdate.sandbox.FleetLayout;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Starts a fresh fleet for one scenario and offers the waits and plans the scenarios share. */
final class FleetScenario implements AutoCloseable {
    static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(4);
    final Fleet fleet;

    private FleetScenario(Fleet fleet) {
        this.fleet = fleet;
    }

    static FleetScenario start(String name, int nodes, String... faults) throws IOException {
        return start(name, nodes, 1, faults);
    }

    /** A fleet with {@code operators} operator replicas (more than one: leader election on a Lease). */
    static FleetScenario start(String name, int nodes, int operators, String... faults) throws IOException {
        return start(name, nodes, operators, java.util.Map.of(), java.util.Map.of(), faults);
    }

    /** A fleet whose agents get extra settings and whose chart install extra values (a kernel mirror, say). */
    static FleetScenario start(String name, int nodes, int operators, java.util.Map<String, String> agentSettings,
            java.util.Map<String, String> chartValues, String... faults) throws IOException {
        Path repo = Path.of(System.getProperty("liveupdate.repo", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(repo.resolve("e2e/target/fleets")).resolve(name);
        FleetOptions options = new FleetOptions(nodes, "mixed", work, List.of(faults).stream().map(Fault::parse).toList(),
                Duration.ofMinutes(2), operators).with(agentSettings, chartValues);
        Fleet fleet = new Fleet(options, FleetLayout.of(repo), line -> System.out.println("[" + name + "] " + line));
        try {
            fleet.start();
        } catch (RuntimeException | IOException e) {
            fleet.close();
            throw e;
        }
        return new FleetScenario(fleet);
    }

    /** The sandbox's plan (every node, maxUnavailable as given, canary of one) under a name. */
    static LiveUpdate plan(String name, int maxUnavailable) {
        LiveUpdate plan = new LiveUpdate();
        plan.setMetadata(new ObjectMetaBuilder().withName(name).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(FleetOptions.POOL_LABEL, FleetOptions.POOL).build());
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease(FleetOptions.KERNEL_RELEASE);
        kernel.setImage(FleetOptions.KERNEL_IMAGE);
        kernel.setSha256(FleetOptions.KERNEL_SHA256);
        spec.setKernel(kernel);
        SessionSpec session = new SessionSpec();
        session.setName(FleetOptions.SESSION);
        RestoreSpec restore = new RestoreSpec();
        restore.setTimeout("2m");
        session.setRestore(restore);
        spec.setSessions(List.of(session));
        RolloutStrategy strategy = new RolloutStrategy();
        strategy.setMaxUnavailable(new IntOrString(maxUnavailable));
        strategy.setCanaryNodes(1);
        spec.setStrategy(strategy);
        plan.setSpec(spec);
        return plan;
    }

    LiveUpdate get(String plan) {
        return fleet.client().resources(LiveUpdate.class).withName(plan).get();
    }

    LiveUpdateNode lun(String node) {
        return fleet.client().resources(LiveUpdateNode.class).withName(node).get();
    }

    LiveUpdate awaitPlan(String plan, Predicate<LiveUpdate> condition, String what) {
        await(what).atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> condition.test(get(plan)));
        return get(plan);
    }

    LiveUpdate awaitPhase(String plan, PlanPhase phase) {
        return awaitPlan(plan, p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == phase
                && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration()), "plan " + plan + " reaches " + phase);
    }

    void awaitAllWorkloads(WorkloadState state) {
        await("every workload " + state.label()).atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> fleet.nodes().values().stream().allMatch(n -> n.workload() != null
                        && WorkloadState.fromLog(n.workload().log()) == state));
    }

    /** Runs the pinned kubectl against the fleet, as a user would. */
    String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                fleet.cluster().binaries().directory().resolve("kubectl").toString(),
                "--kubeconfig", fleet.cluster().kubeconfig().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    List<SimulatedNode> nodes() {
        return List.copyOf(fleet.nodes().values());
    }

    @Override
    public void close() {
        fleet.close();
    }
}
