package dev.liveupdate.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RestoreRule;
import dev.liveupdate.api.v1alpha1.RestoreSpec;
import dev.liveupdate.api.v1alpha1.RestoreTimeoutAction;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node protocol with real processes: a real kube-apiserver, agent process 1 on a
 * simulated node, a workload handing over a memfd through the socket, the simulated kexec ending
 * process 1, agent process 2 in the new boot, and the workload getting its bytes back.
 */
class SimulatedKexecEndToEndIT {
    private static final String NODE = "node-e2e";
    /** Each test's plan selects its node by this label (the agent checks that the plan selects it: invariant 8). */
    private static final String NODE_LABEL = "e2e.liveupdate.dev/node";
    private static TestCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.builder().withRepoCrds().withControllerManager(false).start();
        cluster.nodes().create(NODE, Map.of(NODE_LABEL, NODE));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void memfdBytesSurviveASimulatedKexecThroughTwoAgentProcesses() throws Exception {
        KubernetesClient k8s = cluster.client();
        Path sim = dir.resolve("machine");
        Path state = dir.resolve("agent-state");
        Path socket = dir.resolve("run/agent.sock");
        Path log = Path.of("target/e2e-agent.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Path image = SimulatedKernel.writeImage(dir.resolve("vmlinuz-7.3.0-next"), "7.3.0-next");

        byte[] content = new byte[1 << 20];
        new SecureRandom().nextBytes(content);
        long launched = System.nanoTime();
        Process first = AgentProcess.start(NODE, cluster.kubeconfig(), sim, state, socket, image.getParent(), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                LiveUpdateNodeStatus s = status(k8s);
                return s != null && s.getInventory() != null && Boolean.TRUE.equals(s.getInventory().getCapable()) && Files.exists(socket);
            });
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
            LiveUpdateNode lun = k8s.resources(LiveUpdateNode.class).withName(NODE).get();
            assertThat(lun.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));
            assertThat(lun.getMetadata().getManagedFields()).anySatisfy(f -> {
                assertThat(f.getManager()).isEqualTo("liveupdate-agent");
                assertThat(f.getSubresource()).isEqualTo("status");
            });
            String bootBefore = lun.getStatus().getInventory().getBootID();

            String sha = Memfds.sha256(content);
            FileDescriptor memfd = Memfds.create("vm-ram", content);
            try (AgentClient agent = AgentClient.connect(socket)) {
                agent.preserve("vm", 1, memfd);
            }
            Memfds.close(memfd);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(k8s).getUnmanagedRegistrations() != null);
            long idleRssKiB = AgentProcess.rssKiB(first.pid());
            System.out.printf("agent process 1: status capable after %d ms from launch, RSS %d KiB%n", readyMillis, idleRssKiB);
            Files.writeString(dir.getParent().resolve("agent-footprint.txt"), "ready_ms=" + readyMillis + " rss_kib=" + idleRssKiB + "\n");

            instruct(k8s, NodeStep.Prepared, image);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s).getPhase() == NodePhase.Prepared);
            instruct(k8s, NodeStep.Rebooted, image);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(SimulatedKernel.KEXEC_EXIT_STATUS);
            assertThat(status(k8s).getPhase()).isEqualTo(NodePhase.Rebooting);
        } finally {
            first.destroyForcibly();
        }

        Process second = AgentProcess.start(NODE, cluster.kubeconfig(), sim, state, socket, image.getParent(), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(k8s).getPhase() == NodePhase.Restoring && Files.exists(socket));
            byte[] back;
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (AgentClient agent = AgentClient.connect(socket)) {
                    return agent.status("vm").file("vm", 1).isPresent();
                }
            });
            try (AgentClient agent = AgentClient.connect(socket)) {
                FileDescriptor fd = agent.retrieve("vm", 1);
                back = Memfds.readAll(fd);
                Memfds.close(fd);
            }
            assertThat(Memfds.sha256(back)).isEqualTo(Memfds.sha256(content));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s).getPhase() == NodePhase.Updated);
            LiveUpdateNodeStatus updated = status(k8s);
            assertThat(updated.getBoot().getReleaseAfter()).isEqualTo("7.3.0-next");
            assertThat(updated.getBoot().getBootIDAfter()).isNotEqualTo(updated.getBoot().getBootIDBefore());
            assertThat(updated.getBlackout().getDurationMillis()).isPositive();
            assertThat(updated.getBlackout().getDuration()).endsWith("s");

            instruct(k8s, NodeStep.Finished, image);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s).getPhase() == NodePhase.Finished);
            assertThat(status(k8s).getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
            assertThat(second.isAlive()).isTrue();
        } finally {
            second.destroy();
            second.waitFor(10, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    /**
     * Restore first: after the kexec the new agent serves the workload its file while the API server cannot be reached
     * (a port that answers nothing), and the API server hears of it once it can. FINISH still waits for the instruction.
     */
    @Test
    void afterTheKexecTheWorkloadGetsItsFileBackBeforeTheApiServerIsReachable() throws Exception {
        String node = "node-restore-first";
        cluster.nodes().create(node, Map.of(NODE_LABEL, node));
        KubernetesClient k8s = cluster.client();
        Path sim = dir.resolve("machine");
        Path state = dir.resolve("agent-state");
        Path socket = dir.resolve("run/agent.sock");
        Path log = Path.of("target/e2e-agent-restore-first.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Path image = SimulatedKernel.writeImage(dir.resolve("vmlinuz-7.3.0-next"), "7.3.0-next");
        byte[] content = new byte[1 << 16];
        new SecureRandom().nextBytes(content);

        Process first = AgentProcess.start(node, cluster.kubeconfig(), sim, state, socket, image.getParent(), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                LiveUpdateNodeStatus s = status(k8s, node);
                return s != null && s.getInventory() != null && Boolean.TRUE.equals(s.getInventory().getCapable()) && Files.exists(socket);
            });
            FileDescriptor memfd = Memfds.create("vm-ram", content);
            try (AgentClient agent = AgentClient.connect(socket)) {
                agent.preserve("vm", 1, memfd);
            }
            Memfds.close(memfd);
            instruct(k8s, node, NodeStep.Prepared, image, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s, node).getPhase() == NodePhase.Prepared);
            instruct(k8s, node, NodeStep.Rebooted, image, null);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(SimulatedKernel.KEXEC_EXIT_STATUS);
        } finally {
            first.destroyForcibly();
        }

        try (ApiServerGate gate = new ApiServerGate()) {
            Path unreachable = dir.resolve("unreachable.kubeconfig");
            Files.writeString(unreachable, Files.readString(cluster.kubeconfig()).replace(cluster.apiServerUrl(), "https://127.0.0.1:" + gate.port()));
            Process second = AgentProcess.start(node, unreachable, sim, state, socket, image.getParent(), log);
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    try (AgentClient agent = AgentClient.connect(socket)) {
                        return agent.status("vm").file("vm", 1).isPresent();
                    }
                });
                try (AgentClient agent = AgentClient.connect(socket)) {
                    FileDescriptor fd = agent.retrieve("vm", 1);
                    assertThat(Memfds.sha256(Memfds.readAll(fd))).isEqualTo(Memfds.sha256(content));
                    Memfds.close(fd);
                }
                assertThat(status(k8s, node).getPhase()).as("nothing reached the API server yet").isEqualTo(NodePhase.Rebooting);

                URI api = URI.create(cluster.apiServerUrl());
                gate.open(new InetSocketAddress(api.getHost(), api.getPort()));
                await().atMost(Duration.ofSeconds(90)).until(() -> status(k8s, node).getPhase() == NodePhase.Updated);
                Blackout b = status(k8s, node).getBlackout();
                assertThat(List.of(b.getAgentStartedAt(), b.getDeviceReopenedAt(), b.getSessionsRetrievedAt(), b.getSocketServingAt(),
                        b.getFirstFilesTakenAt(), b.getLastFilesTakenAt(), b.getSessionsRestoredAt(), b.getApiConnectedAt())).doesNotContainNull();
                assertThat(Instant.parse(b.getFirstFilesTakenAt())).isBefore(Instant.parse(b.getApiConnectedAt()));
                assertThat(Instant.parse(b.getSocketServingAt())).isBeforeOrEqualTo(Instant.parse(b.getFirstFilesTakenAt()));

                instruct(k8s, node, NodeStep.Finished, image, null);
                await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s, node).getPhase() == NodePhase.Finished);
                assertThat(status(k8s, node).getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
            } finally {
                second.destroy();
                second.waitFor(10, TimeUnit.SECONDS);
                second.destroyForcibly();
            }
        }
    }

    /**
     * A restore that fails (the workload never takes its file back, onTimeout Fail) keeps the kernel's state until a
     * person decides; the person's annotation on the LiveUpdateNode makes the agent send FINISH.
     */
    @Test
    void aPersonsAnnotationDiscardsAFailedRestore() throws Exception {
        String node = "node-e2e-discard";
        cluster.nodes().create(node, Map.of(NODE_LABEL, node));
        KubernetesClient k8s = cluster.client();
        Path sim = dir.resolve("machine");
        Path state = dir.resolve("agent-state");
        Path socket = dir.resolve("run/agent.sock");
        Path log = Path.of("target/e2e-agent-discard.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Path image = SimulatedKernel.writeImage(dir.resolve("vmlinuz-7.3.0-next"), "7.3.0-next");
        RestoreSpec restore = new RestoreSpec();
        restore.setRule(RestoreRule.AllTokensReclaimed);
        restore.setTimeout("2s");
        restore.setOnTimeout(RestoreTimeoutAction.Fail);

        Process first = AgentProcess.start(node, cluster.kubeconfig(), sim, state, socket, image.getParent(), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                LiveUpdateNodeStatus s = status(k8s, node);
                return s != null && s.getInventory() != null && Boolean.TRUE.equals(s.getInventory().getCapable()) && Files.exists(socket);
            });
            FileDescriptor memfd = Memfds.create("vm-ram", new byte[4096]);
            try (AgentClient agent = AgentClient.connect(socket)) {
                agent.preserve("vm", 1, memfd);
            }
            Memfds.close(memfd);
            instruct(k8s, node, NodeStep.Prepared, image, restore);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s, node).getPhase() == NodePhase.Prepared);
            instruct(k8s, node, NodeStep.Rebooted, image, restore);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }

        Process second = AgentProcess.start(node, cluster.kubeconfig(), sim, state, socket, image.getParent(), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(k8s, node).getPhase() == NodePhase.Failed);
            LiveUpdateNodeStatus failed = status(k8s, node);
            assertThat(failed.getReason()).isEqualTo("RestoreTimeout");
            String planUid = failed.getPlan().getUid();

            edit(k8s, node, lun -> {
                java.util.Map<String, String> a = new java.util.HashMap<>();
                if (lun.getMetadata().getAnnotations() != null) {
                    a.putAll(lun.getMetadata().getAnnotations());
                }
                a.put(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION, planUid);
                lun.getMetadata().setAnnotations(a);
                return lun;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s, node).getPhase() == NodePhase.Finished);
            LiveUpdateNodeStatus finished = status(k8s, node);
            assertThat(finished.getReason()).isEqualTo("DiscardedOnRequest");
            assertThat(finished.getMessage()).contains("RestoreTimeout");
            assertThat(finished.getLastUpdate().getResult()).as("the update itself failed").isEqualTo(UpdateResult.Failed);
        } finally {
            second.destroy();
            second.waitFor(10, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    /**
     * Invariant 8: an instruction written by hand, for a plan that exists nowhere, never prepares the node nor kexecs
     * it; the agent says Failed/InstructionWithoutPlan and names who wrote it (the field manager of spec.instruction).
     */
    @Test
    void aHandWrittenInstructionWithoutAPlanNeverPreparesNorReboots() throws Exception {
        String node = "node-e2e-forged";
        cluster.nodes().create(node, Map.of(NODE_LABEL, node));
        KubernetesClient k8s = cluster.client();
        Path socket = dir.resolve("run/agent.sock");
        Path log = Path.of("target/e2e-agent-forged.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Path image = SimulatedKernel.writeImage(dir.resolve("vmlinuz-7.3.0-next"), "7.3.0-next");
        List<NodePhase> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Process agent = AgentProcess.start(node, cluster.kubeconfig(), dir.resolve("machine"), dir.resolve("agent-state"), socket,
                image.getParent(), log);
        try (io.fabric8.kubernetes.client.Watch watch = k8s.resources(LiveUpdateNode.class).withName(node)
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, LiveUpdateNode lun) {
                        if (lun.getStatus() != null && lun.getStatus().getPhase() != null) {
                            seen.add(lun.getStatus().getPhase());
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                LiveUpdateNodeStatus s = status(k8s, node);
                return s != null && s.getInventory() != null && Boolean.TRUE.equals(s.getInventory().getCapable()) && Files.exists(socket);
            });
            FileDescriptor memfd = Memfds.create("vm-ram", new byte[4096]);
            try (AgentClient client = AgentClient.connect(socket)) {
                client.preserve("vm", 1, memfd);
            }
            Memfds.close(memfd);
            PlanReference forged = new PlanReference();
            forged.setName("kernel-7-3-forged");
            forged.setUid("5d1c3c2e-0000-4000-8000-000000000001");
            forged.setGeneration(1L);
            instruct(k8s, node, NodeStep.Prepared, image, null, forged);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(k8s, node).getPhase() == NodePhase.Failed);
            LiveUpdateNodeStatus failed = status(k8s, node);
            assertThat(failed.getReason()).isEqualTo("InstructionWithoutPlan");
            assertThat(failed.getMessage()).contains("kernel-7-3-forged", "5d1c3c2e-0000-4000-8000-000000000001",
                    "no LiveUpdate named kernel-7-3-forged exists", "written by field manager '");

            instruct(k8s, node, NodeStep.Rebooted, image, null, forged);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(agent::isAlive);
            assertThat(status(k8s, node).getReason()).isEqualTo("InstructionWithoutPlan");
            assertThat(seen).doesNotContain(NodePhase.Preparing, NodePhase.Prepared, NodePhase.Rebooting);
            assertThat(k8s.v1().events().inAnyNamespace().list().getItems()).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("InstructionWithoutPlan");
                assertThat(e.getMessage()).contains("kernel-7-3-forged");
            });
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
    }

    /** An edit that retries on 409: the agent writes its status concurrently, which moves the resourceVersion. */
    private static void edit(KubernetesClient k8s, String node, java.util.function.UnaryOperator<LiveUpdateNode> change) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> k8s.resources(LiveUpdateNode.class).withName(node).edit(change) != null);
    }

    private static LiveUpdateNodeStatus status(KubernetesClient k8s) {
        return status(k8s, NODE);
    }

    private static LiveUpdateNodeStatus status(KubernetesClient k8s, String node) {
        LiveUpdateNode lun = k8s.resources(LiveUpdateNode.class).withName(node).get();
        return lun == null ? null : lun.getStatus();
    }

    private static void instruct(KubernetesClient k8s, NodeStep step, Path image) throws Exception {
        instruct(k8s, NODE, step, image, null);
    }

    /**
     * The plan this test's instructions belong to, created on first use: a live LiveUpdate selecting the node, since the
     * agent confirms the plan with the API server before it prepares or kexecs (invariant 8). No operator runs here; the
     * test writes the instructions the operator would.
     */
    private static PlanReference plan(KubernetesClient k8s, String node, Path image) throws Exception {
        String name = "kernel-7-3-" + node;
        LiveUpdate lu = k8s.resources(LiveUpdate.class).withName(name).get();
        if (lu == null) {
            lu = new LiveUpdate();
            lu.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
            LiveUpdateSpec spec = new LiveUpdateSpec();
            spec.setNodeSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels(NODE_LABEL, node).build());
            spec.setKernel(kernel(image));
            lu.setSpec(spec);
            lu = k8s.resource(lu).create();
        }
        PlanReference p = new PlanReference();
        p.setName(name);
        p.setUid(lu.getMetadata().getUid());
        p.setGeneration(lu.getMetadata().getGeneration());
        return p;
    }

    /** The kernel with its checksum (the agent's default kernel policy requires one). */
    private static KernelSpec kernel(Path image) throws Exception {
        KernelSpec k = new KernelSpec();
        k.setRelease("7.3.0-next");
        k.setImage(image.toString());
        k.setSha256(Memfds.sha256(Files.readAllBytes(image)));
        return k;
    }

    private static void instruct(KubernetesClient k8s, String node, NodeStep step, Path image, RestoreSpec restore) throws Exception {
        instruct(k8s, node, step, image, restore, plan(k8s, node, image));
    }

    private static void instruct(KubernetesClient k8s, String node, NodeStep step, Path image, RestoreSpec restore, PlanReference p)
            throws Exception {
        KernelSpec k = kernel(image);
        edit(k8s, node, lun -> {
            NodeInstruction i = new NodeInstruction();
            i.setPlan(p);
            i.setStep(step);
            i.setKernel(k);
            SessionSpec s = new SessionSpec();
            s.setName("vm");
            s.setRequired(true);
            s.setMinFiles(1);
            s.setRestore(restore);
            i.setSessions(List.of(s));
            lun.getSpec().setInstruction(i);
            return lun;
        });
    }
}
