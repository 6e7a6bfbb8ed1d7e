package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.handoff.WorkloadPeerProcess.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.liveupdate.agent.handoff.KubeletStyleCgroups;
import dev.liveupdate.agent.handoff.PeerPolicy;
import dev.liveupdate.agent.handoff.ProcOwnerResolver;
import dev.liveupdate.agent.handoff.SocketEvents;
import dev.liveupdate.agent.handoff.SocketMetrics;
import dev.liveupdate.agent.handoff.WorkloadPeerProcess;
import dev.liveupdate.agent.handoff.WorkloadSocketServer;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safety invariant 10 end to end on one machine: the agent's real socket server and engine (over the kernel
 * simulator), and workloads as separate processes in real cgroups named like kubelet pod cgroups (pod X with the
 * cgroupfs driver's names, pod Y with the systemd driver's). The agent tells them apart only by what the kernel says:
 * SO_PEERCRED's pid and that process's /proc/<pid>/cgroup.
 */
class CrossPodSocketTest {
    static final String POD_X = "5f3d5a9c-8b2e-4d1a-9c1e-0123456789ab";
    static final String POD_Y = "0b8f3c1e-5d2a-4c7b-9e1f-2a3b4c5d6e7f";

    @TempDir
    Path dir;
    KubeletStyleCgroups cgroups;
    Path podX;
    Path podY;
    SimNode node;
    Path socket;
    private EngineLoop loop;
    private WorkloadSocketServer server;

    @BeforeEach
    void setUp() throws Exception {
        cgroups = new KubeletStyleCgroups();
        podX = cgroups.cgroupfsPod(POD_X);
        podY = cgroups.systemdPod(POD_Y);
        socket = dir.resolve("run/agent.sock");
        node = new SimNode(dir, Generation.B);
    }

    @AfterEach
    void tearDown() throws Exception {
        stopAgent();
        cgroups.close();
    }

    /** The agent process: its engine (already booted) behind its socket. */
    private void startAgent() throws Exception {
        loop = new EngineLoop(node.engine);
        server = new WorkloadSocketServer(new WorkloadSocketServer.Settings(socket, PosixFilePermissions.fromString("rw-rw----"), null, 16, 2,
                Duration.ofSeconds(30), Duration.ofSeconds(1)), new PeerPolicy(Set.of(0L), Set.of()), ProcOwnerResolver.host(), loop,
                SocketMetrics.NONE, SocketEvents.NONE);
        server.start();
    }

    private void stopAgent() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    private List<JsonNode> inPod(Path cgroup, java.util.Map<String, Object>... steps) throws Exception {
        return WorkloadPeerProcess.run(socket, cgroup, List.of(steps));
    }

    private static void assertRefused(JsonNode result, String code) {
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.path("code").asText()).as(result.toString()).isEqualTo(code);
    }

    @Test
    void podsCannotListRetrieveDiscardOrOverwriteEachOthersFiles() throws Exception {
        node.boot();
        startAgent();
        List<JsonNode> x = inPod(podX, step("preserve", "session", "vm", "token", 1, "content", "x guest memory"), step("status"));
        assertThat(x.get(0).path("ok").asBoolean()).as(x.get(0).toString()).isTrue();
        assertThat(x.get(1).path("owner").asText()).isEqualTo("pod " + POD_X);
        assertThat(x.get(1).path("files").toString()).isEqualTo("[[\"vm\",1,\"Held\"]]");

        List<JsonNode> y = inPod(podY, step("status"), step("retrieve", "session", "vm", "token", 1),
                step("unpreserve", "session", "vm", "token", 1), step("preserve", "session", "vm", "token", 1, "content", "forgery"));
        assertThat(y.get(0).path("owner").asText()).isEqualTo("pod " + POD_Y);
        assertThat(y.get(0).path("files").size()).as("Y lists none of X's files").isZero();
        assertRefused(y.get(1), "NOT_OWNER");
        assertThat(y.get(1).has("content")).as("no fd came with the refusal").isFalse();
        assertRefused(y.get(2), "NOT_OWNER");
        assertRefused(y.get(3), "NOT_OWNER");
        assertRefused(inPod(null, step("retrieve", "session", "vm", "token", 1)).get(0), "NOT_OWNER"); // nor a host process

        // Another process of pod X (a restarted container) is pod X: the file is intact and its own.
        List<JsonNode> again = inPod(podX, step("retrieve", "session", "vm", "token", 1), step("unpreserve", "session", "vm", "token", 1));
        assertThat(again.get(0).path("content").asText()).isEqualTo("x guest memory");
        assertThat(again.get(1).path("ok").asBoolean()).isTrue();
    }

    @Test
    void onePodAtItsLimitsDoesNotStopAnother() throws Exception {
        node.limits = new WorkloadLimits(2, 0, Duration.ofMinutes(10));
        node.boot();
        startAgent();
        List<JsonNode> x = inPod(podX, step("preserve", "session", "vm", "token", 1, "content", "a"),
                step("preserve", "session", "vm", "token", 2, "content", "b"), step("preserve", "session", "vm", "token", 3, "content", "c"));
        assertThat(x.get(1).path("ok").asBoolean()).isTrue();
        assertRefused(x.get(2), "QUOTA_EXCEEDED");
        assertThat(x.get(2).path("message").asText()).contains("pod " + POD_X, "max-files-per-owner=2");
        assertThat(inPod(podY, step("preserve", "session", "vm", "token", 3, "content", "y")).get(0).path("ok").asBoolean()).isTrue();

        // Connections: X holds its two (the first is the script's own), the third is refused; Y still gets in meanwhile.
        try (WorkloadPeerProcess holder = WorkloadPeerProcess.start(socket, podX, List.of(step("connections", "n", 2), step("wait-stdin")))) {
            JsonNode codes = holder.next().path("codes");
            assertThat(codes.toString()).isEqualTo("[\"ok\",\"BUSY\"]");
            List<JsonNode> y = inPod(podY, step("status"), step("connections", "n", 1));
            assertThat(y.get(0).path("files").size()).isEqualTo(1);
            assertThat(y.get(1).path("codes").toString()).isEqualTo("[\"ok\"]");
            holder.finish();
        }
    }

    @Test
    void onlyMemfdsAreTaken() throws Exception {
        node.boot();
        startAgent();
        Path shm = Path.of("/dev/shm/lu-test-" + System.nanoTime());
        List<JsonNode> x = inPod(podX, step("preserve-file", "session", "vm", "token", 1, "path", "/dev/null"),
                step("preserve-file", "session", "vm", "token", 2, "path", shm.toString(), "unlink", true),
                step("preserve-file", "session", "vm", "token", 3, "path", dir.resolve("disk-file").toString()),
                step("preserve", "session", "vm", "token", 4, "content", "a memfd"), step("status"));
        assertRefused(x.get(0), "NOT_PRESERVABLE");
        assertThat(x.get(0).path("message").asText()).contains("/dev/null", "only memfds");
        assertRefused(x.get(1), "NOT_PRESERVABLE");
        assertRefused(x.get(2), "NOT_PRESERVABLE");
        assertThat(x.get(3).path("ok").asBoolean()).isTrue();
        assertThat(x.get(4).path("files").toString()).isEqualTo("[[\"vm\",4,\"Held\"]]");
        assertThat(Files.exists(shm)).isFalse();
    }

    /**
     * The owners survive the kexec (a new agent process reads them from the update record) and an agent restart in the
     * new boot (rebuilt from the update and restore records): each pod gets its own memory back, never the other's.
     */
    @Test
    void ownershipSurvivesTheKexecAndAgentRestarts() throws Exception {
        node.boot();
        startAgent();
        assertThat(inPod(podX, step("preserve", "session", "vm", "token", 1, "content", "x memory")).get(0).path("ok").asBoolean()).isTrue();
        assertThat(inPod(podY, step("preserve", "session", "vm", "token", 2, "content", "y memory")).get(0).path("ok").asBoolean()).isTrue();
        node.instruct(NodeStep.Prepared, node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 2, null)));
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        stopAgent(); // the old kernel ended the agent process

        node.boot(); // the agent in the new kernel, a new process
        startAgent();
        List<JsonNode> y = inPod(podY, step("status"), step("retrieve", "session", "vm", "token", 1), step("retrieve", "session", "vm", "token", 2));
        assertThat(y.get(0).path("files").toString()).isEqualTo("[[\"vm\",2,\"Restorable\"]]");
        assertRefused(y.get(1), "NOT_OWNER");
        assertThat(y.get(2).path("content").asText()).isEqualTo("y memory");

        stopAgent(); // an agent restart in the new boot, X not back yet
        node.crash();
        node.boot();
        startAgent();
        List<JsonNode> x = inPod(podX, step("status"), step("retrieve", "session", "vm", "token", 1));
        assertThat(x.get(0).path("files").toString()).as("rebuilt with its owner after the restart").contains("[\"vm\",1,");
        assertThat(x.get(0).path("files").toString()).doesNotContain("[\"vm\",2,");
        assertRefused(x.get(1), "LOST"); // it died with the agent process that had retrieved it: X's to see, nobody's to take
        List<JsonNode> yAgain = inPod(podY, step("unpreserve", "session", "vm", "token", 1));
        assertRefused(yAgain.get(0), "NOT_OWNER");
    }
}
