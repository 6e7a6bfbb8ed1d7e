package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.PreservedThroughKexec;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.agent.handoff.ProcOwnerResolver;
import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.AgentIdentity;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.luo.Generation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore first, with the real configuration path, engine, simulated kernel and workload socket, and no API server at
 * all: after a kexec the workload gets its file back before any Kubernetes client exists; the API server's sink, once
 * attached, hears of the restore afterwards. Every other start (no kexec, a status copy of another plan, restore-first
 * off) leaves the engine and the socket to the API-first start.
 */
class LocalStartTest {
    private static final byte[] CONTENT = "guest memory that must survive the kexec".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final long uid = ownId("unix:uid");
    private final long gid = ownId("unix:gid");

    @Test
    void afterAKexecTheWorkloadTakesItsFileBackBeforeTheApiServerIsAttached() throws Exception {
        PreservedThroughKexec kexec = PreservedThroughKexec.run(dir, Generation.B, thisProcess(), CONTENT);
        keepStatusCopy(kexec, kexec.rebooting());
        List<LiveUpdateNodeStatus> atApi = new CopyOnWriteArrayList<>();

        try (LocalStart local = localStart(kexec, Generation.B, Map.of())) {
            assertThat(local.startBeforeApi()).as("restored before the API server").isTrue();
            assertThat(local.socket().isRunning()).isTrue();

            byte[] back;
            try (AgentClient workload = AgentClient.connect(socket(), AgentIdentity.rootOr(uid))) {
                FileDescriptor fd = workload.retrieve(PreservedThroughKexec.SESSION, 1);
                back = Memfds.readAll(fd);
                Memfds.close(fd);
            }
            assertThat(back).isEqualTo(CONTENT);
            // The agent records the hand-back after the fd left on the socket, i.e. possibly after retrieve returned
            // here; the restore rule holding (Updated) comes after that record, still with no API server.
            await().atMost(Duration.ofSeconds(30)).until(() -> NodePhase.Updated.name().equals(local.loop().phase()));

            local.attachApi(recordingInto(atApi), (warning, reason, message) -> { },
                    i -> PlanAuthority.Answer.unconfirmed("this test has no plans"));

            assertThat(atApi).as("what waited for the API server goes out on attach").isNotEmpty();
            assertThat(atApi).extracting(LiveUpdateNodeStatus::getPhase)
                    .as("FINISH waits for the operator's instruction, which only the API server's watch delivers")
                    .containsOnly(NodePhase.Updated);
            Blackout b = atApi.get(0).getBlackout();
            assertThat(Instant.parse(b.getSocketServingAt())).isBeforeOrEqualTo(Instant.parse(b.getFirstFilesTakenAt()));
            assertThat(Instant.parse(b.getFirstFilesTakenAt())).as("the workload had its file before the API server was reached")
                    .isBeforeOrEqualTo(Instant.parse(b.getApiConnectedAt()));
            assertThat(local.readyLine()).contains("restore first: device settled").contains("API reached");
        }
    }

    @Test
    void restoreFirstOffLeavesTheRestoreToTheApiFirstStart() throws Exception {
        PreservedThroughKexec kexec = PreservedThroughKexec.run(dir, Generation.A, thisProcess(), CONTENT);
        keepStatusCopy(kexec, kexec.rebooting());

        try (LocalStart local = localStart(kexec, Generation.A, Map.of("liveupdate.agent.restore-first", "false"))) {
            assertThat(local.startBeforeApi()).isFalse();
            assertThat(local.engineStarted()).isFalse();
            assertThat(local.socket().isRunning()).isFalse();
        }
    }

    @Test
    void aStatusCopyOfAnotherPlanIsNotRestoredFrom() throws Exception {
        PreservedThroughKexec kexec = PreservedThroughKexec.run(dir, Generation.B, thisProcess(), CONTENT);
        LiveUpdateNodeStatus stale = kexec.rebooting();
        PlanReference other = new PlanReference();
        other.setName("an-older-plan");
        other.setUid("uid-0");
        other.setGeneration(1L);
        stale.setPlan(other);
        keepStatusCopy(kexec, stale);

        try (LocalStart local = localStart(kexec, Generation.B, Map.of())) {
            assertThat(local.startBeforeApi()).as("the copy does not name the plan of update.json").isFalse();
            assertThat(local.engineStarted()).isFalse();
        }
    }

    private LocalStart localStart(PreservedThroughKexec kexec, Generation generation, Map<String, String> extra) throws java.io.IOException {
        Files.createDirectories(socket().getParent());
        Map<String, String> p = new HashMap<>(Map.of(
                "liveupdate.agent.node-name", "node-1",
                "liveupdate.agent.reboot-strategy", "simulated",
                "liveupdate.agent.simulator.state-dir", kexec.machineDir().toString(),
                "liveupdate.agent.simulator.generation", generation.name(),
                "liveupdate.agent.state-dir", kexec.stateDir().toString(),
                "liveupdate.agent.kernel-dirs", kexec.kernelDir().toString(),
                "liveupdate.agent.socket.path", socket().toString(),
                "liveupdate.agent.socket.allowed-uids", String.valueOf(uid),
                "liveupdate.agent.tick", "100ms"));
        p.putAll(extra);
        return new LocalStart(EarlyStart.config(p), new SimpleMeterRegistry(), "test", new BlackoutMarks());
    }

    /** What the previous agent process kept of its last report, as its status writer does before each write. */
    private static void keepStatusCopy(PreservedThroughKexec kexec, LiveUpdateNodeStatus status) throws Exception {
        new StatusCache(kexec.stateDir(), recordingInto(new CopyOnWriteArrayList<>())).publishAndWait(status);
    }

    private static StatusSink recordingInto(List<LiveUpdateNodeStatus> into) {
        return new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                into.add(status);
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) {
                into.add(status);
            }
        };
    }

    private Path socket() {
        return dir.resolve("run/agent.sock");
    }

    /** This test process as the socket server will see it when it connects as the workload. */
    private Peer thisProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        return new Peer(pid, uid, gid, new long[] {gid}).ownedBy(ProcOwnerResolver.host().ownerOf(pid, uid));
    }

    private static long ownId(String attribute) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), attribute)).longValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
