package dev.liveupdate.bench;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.luo.sim.SimulatedKernel;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workload's and the operator's side of one live update on a benchmark node, so that the next agent launch is the
 * one after a kexec: a memfd handed over, Prepared, Rebooted (the simulated kexec ends the agent process), and after
 * the launch the workload polling the socket until it has its file back.
 */
final class KexecCycle {
    static final String NODE_LABEL = "bench.liveupdate.dev/node";
    private static final String RELEASE = "7.3.0-bench";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private final KubernetesClient k8s;
    private final String node;
    private final Path socket;
    private final Path image;
    private final byte[] content = new byte[1 << 20];

    KexecCycle(KubernetesClient k8s, String node, Path socket, Path kernelDir) {
        this.k8s = k8s;
        this.node = node;
        this.socket = socket;
        try {
            java.nio.file.Files.createDirectories(kernelDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.image = SimulatedKernel.writeImage(kernelDir.resolve("vmlinuz-" + RELEASE), RELEASE);
        new java.util.Random(42).nextBytes(content);
    }

    Path kernelDir() {
        return image.getParent();
    }

    /** With the agent running and ready: hand a memfd over, prepare, reboot; returns once the agent process ended. */
    void updateThrough(Launched agent) throws Exception {
        FileDescriptor memfd = Memfds.create("vm-ram", content);
        try (AgentClient c = AgentClient.connect(socket)) {
            c.preserve("vm", 1, memfd);
        }
        Memfds.close(memfd);
        PlanReference plan = plan();
        instruct(plan, NodeStep.Prepared);
        awaitPhase(NodePhase.Prepared, agent);
        instruct(plan, NodeStep.Rebooted);
        if (!agent.process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the agent did not kexec within " + STEP_TIMEOUT + "; see " + agent.log);
        }
    }

    /** When the workload had its file back: milliseconds from the launch, and the agent's CPU time by then (-1: never). */
    record FileBack(long ms, long cpuMs) {
    }

    /** Polls the socket every 5 ms from the launch until the workload has its file back (bytes verified). */
    FileBack awaitFileBack(Launched agent) throws java.io.IOException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && agent.deathNotice().isEmpty()) {
            long at;
            long cpu;
            byte[] back;
            try (AgentClient c = AgentClient.connect(socket)) {
                FileDescriptor fd = c.retrieve("vm", 1);
                at = agent.elapsedMillis();
                cpu = ProcStats.cpuMillis(agent.pid());
                back = Memfds.readAll(fd);
                Memfds.close(fd);
            } catch (java.io.IOException | RuntimeException notYet) {
                // No socket yet, or the old process's socket file, or the agent not serving yet.
                FootprintBenchmark.park(Duration.ofMillis(5));
                continue;
            }
            if (!Memfds.sha256(content).equals(Memfds.sha256(back))) {
                throw new IllegalStateException("the workload got other bytes back after the kexec on " + node);
            }
            return new FileBack(at, cpu);
        }
        return new FileBack(-1, -1);
    }

    private PlanReference plan() throws Exception {
        String name = "bench-" + node;
        LiveUpdate lu = k8s.resources(LiveUpdate.class).withName(name).get();
        if (lu == null) {
            lu = new LiveUpdate();
            lu.setMetadata(new ObjectMetaBuilder().withName(name).build());
            LiveUpdateSpec spec = new LiveUpdateSpec();
            spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(NODE_LABEL, node).build());
            spec.setKernel(kernel());
            lu.setSpec(spec);
            lu = k8s.resource(lu).create();
        }
        PlanReference p = new PlanReference();
        p.setName(name);
        p.setUid(lu.getMetadata().getUid());
        p.setGeneration(lu.getMetadata().getGeneration());
        return p;
    }

    private KernelSpec kernel() throws Exception {
        KernelSpec k = new KernelSpec();
        k.setRelease(RELEASE);
        k.setImage(image.toString());
        k.setSha256(Memfds.sha256(Files.readAllBytes(image)));
        return k;
    }

    /** Writes the instruction as the operator would; retried on a conflict (the agent's status writes move the object). */
    private void instruct(PlanReference plan, NodeStep step) throws Exception {
        KernelSpec k = kernel();
        for (int attempt = 1; ; attempt++) {
            try {
                k8s.resources(LiveUpdateNode.class).withName(node).edit(lun -> {
                    NodeInstruction i = new NodeInstruction();
                    i.setPlan(plan);
                    i.setStep(step);
                    i.setKernel(k);
                    SessionSpec s = new SessionSpec();
                    s.setName("vm");
                    s.setRequired(true);
                    s.setMinFiles(1);
                    i.setSessions(List.of(s));
                    lun.getSpec().setInstruction(i);
                    return lun;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) {
                    throw e;
                }
                FootprintBenchmark.park(Duration.ofMillis(50));
            }
        }
    }

    private void awaitPhase(NodePhase phase, Launched agent) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            LiveUpdateNode lun = k8s.resources(LiveUpdateNode.class).withName(node).get();
            LiveUpdateNodeStatus s = lun == null ? null : lun.getStatus();
            if (s != null && s.getPhase() == phase) {
                return;
            }
            if (agent.deathNotice().isPresent()) {
                throw new IllegalStateException(agent.deathNotice().get());
            }
            FootprintBenchmark.park(Duration.ofMillis(50));
        }
        throw new IllegalStateException(node + " did not reach " + phase + " within " + STEP_TIMEOUT + "; see " + agent.log);
    }
}
