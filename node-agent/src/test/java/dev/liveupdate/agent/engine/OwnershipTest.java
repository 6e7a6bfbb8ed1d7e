package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.luo.Generation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Safety invariant 10 in the engine: a file is listed, retrieved, discarded or replaced only by the pod that handed it over. */
class OwnershipTest {
    static final String POD_X = "5f3d5a9c-8b2e-4d1a-9c1e-0123456789ab";
    static final String POD_Y = "0b8f3c1e-5d2a-4c7b-9e1f-2a3b4c5d6e7f";
    /** Two processes of pod X (any process or uid of a pod is the pod) and one of pod Y, all root. */
    static final Peer X = SimNode.podPeer(101, 0, POD_X);
    static final Peer X_OTHER_PROCESS = SimNode.podPeer(102, 107, POD_X);
    static final Peer Y = SimNode.podPeer(201, 0, POD_Y);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void refused(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void anotherPodCannotListRetrieveDiscardOrReplace() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.engine.preserve(X, "vm", 1, node.memfd(bytes("x's guest memory")));

        assertThat(node.engine.status(Y, null).files()).as("Y sees none of X's files").isEmpty();
        assertThat(node.engine.status(Y, "vm").files()).isEmpty();
        refused(ErrorCode.NOT_OWNER, () -> node.engine.retrieve(Y, "vm", 1));
        refused(ErrorCode.NOT_OWNER, () -> node.engine.unpreserve(Y, "vm", 1));
        int yours = node.memfd(bytes("y's forgery"));
        refused(ErrorCode.NOT_OWNER, () -> node.engine.preserve(Y, "vm", 1, yours));
        assertThatThrownBy(() -> node.sim.fstat(yours)).as("the refused fd is closed, not kept").isNotNull();

        StatusReport mine = node.engine.status(X_OTHER_PROCESS, null);
        assertThat(mine.files()).extracting(StatusReport.FileEntry::token).containsExactly(1L);
        assertThat(mine.peer().owner()).isEqualTo("pod " + POD_X);
        assertThat(node.read(node.engine.retrieve(X_OTHER_PROCESS, "vm", 1))).isEqualTo(bytes("x's guest memory"));
        node.engine.unpreserve(X, "vm", 1);
        assertThat(node.engine.status(X, null).files()).isEmpty();
    }

    /** Host processes (no pod) are told apart by uid and cgroup. */
    @Test
    void hostProcessesOfAnotherUidOrCgroupAreOtherOwners() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes("root in /")));
        Peer sameUidOtherService = new Peer(9, 0, 0, new long[] {0}, dev.liveupdate.agent.handoff.Owner.host(0, "/system.slice/other.service"));
        refused(ErrorCode.NOT_OWNER, () -> node.engine.retrieve(sameUidOtherService, "vm", 1));
        assertThat(node.engine.status(sameUidOtherService, null).files()).isEmpty();
    }

    /**
     * The owners go to the host disk with the update record before the kexec: in the new boot (a new agent process) and
     * after another agent restart there, each pod gets its own files back and nothing of the other's.
     */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void ownershipCarriesThroughTheKexecAndAgentRestarts(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(X, "vm", 1, node.memfd(bytes("x")));
        node.engine.preserve(Y, "vm", 2, node.memfd(bytes("y")));
        node.instruct(NodeStep.Prepared, node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 2, null)));
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        assertThat(Files.readString(node.agentDir.resolve("update.json"))).contains("pod:" + POD_X, "pod:" + POD_Y);

        node.boot(); // the agent in the new kernel
        assertThat(node.engine.status(X, null).files()).singleElement().satisfies(f -> {
            assertThat(f.token()).isEqualTo(1L);
            assertThat(f.state()).isEqualTo(FileState.Restorable);
        });
        refused(ErrorCode.NOT_OWNER, () -> node.engine.retrieve(Y, "vm", 1));
        refused(ErrorCode.NOT_OWNER, () -> node.engine.unpreserve(Y, "vm", 1));
        assertThat(node.read(node.engine.retrieve(X, "vm", 1))).isEqualTo(bytes("x"));

        node.crash(); // an agent restart in the new boot: the table is rebuilt from update.json and restore.json
        node.boot();
        assertThat(node.engine.status(X, null).files()).singleElement().extracting(StatusReport.FileEntry::state).isEqualTo(FileState.Restored);
        assertThat(node.engine.status(Y, null).files()).singleElement().satisfies(f -> {
            assertThat(f.token()).isEqualTo(2L);
            assertThat(f.state()).isEqualTo(FileState.Lost);
        });
        int forged = node.memfd(bytes("forged"));
        refused(ErrorCode.NOT_OWNER, () -> node.engine.preserve(Y, "vm", 1, forged)); // X's restored entry is not Y's to replace
        refused(ErrorCode.NOT_OWNER, () -> node.engine.preserve(X, "vm", 2, node.memfd(bytes("x over y")))); // nor Y's lost one X's
        node.engine.preserve(Y, "vm", 2, node.memfd(bytes("y again"))); // its owner may
        assertThat(node.read(node.engine.retrieve(Y, "vm", 2))).isEqualTo(bytes("y again"));
    }

    /** A token whose owner was not recorded (a record of an older agent) belongs to nobody: it waits for a person's decision. */
    @Test
    void aFileWithoutARecordedOwnerIsNobodys() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes("old")));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        Path record = node.agentDir.resolve("update.json");
        Files.writeString(record, Files.readString(record).replaceAll("\"owners\"\\s*:\\s*\\{[^}]*\\}", "\"owners\" : null"));
        assertThat(Files.readString(record)).doesNotContain("host:0:/");

        node.boot();
        assertThat(node.engine.status(ROOT, null).files()).isEmpty();
        refused(ErrorCode.NOT_OWNER, () -> node.engine.retrieve(ROOT, "vm", 1));
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Restoring);
    }

    @Test
    void filesQuotaPerOwner() throws Exception {
        SimNode node = new SimNode(dir, Generation.B);
        node.limits = new WorkloadLimits(2, 0, Duration.ofMinutes(10));
        node.boot();
        node.engine.preserve(X, "vm", 1, node.memfd(bytes("1")));
        node.engine.preserve(X, "vm", 2, node.memfd(bytes("2")));
        assertThatThrownBy(() -> node.engine.preserve(X, "vm", 3, node.memfd(bytes("3"))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                    assertThat(e.getMessage()).contains("pod " + POD_X, "already holds 2 files", "max-files-per-owner=2");
                });
        node.engine.preserve(Y, "vm", 3, node.memfd(bytes("y"))); // X at its limit does not stop Y
        node.engine.preserve(Y, "vm", 4, node.memfd(bytes("y")));
        node.engine.unpreserve(X, "vm", 2);
        node.engine.preserve(X, "vm", 5, node.memfd(bytes("5"))); // room again
        assertThat(node.engine.status(X, null).peer()).satisfies(p -> {
            assertThat(p.files()).isEqualTo(2);
            assertThat(p.maxFiles()).isEqualTo(2);
        });
    }

    @Test
    void bytesQuotaPerOwnerCountsWhatTheMemfdsHoldNow() throws Exception {
        SimNode node = new SimNode(dir, Generation.B);
        node.limits = new WorkloadLimits(64, 100, Duration.ofMinutes(10));
        node.boot();
        int grows = node.memfd(new byte[40]);
        node.engine.preserve(X, "vm", 1, node.sim.dup(grows));
        node.engine.preserve(X, "vm", 2, node.memfd(new byte[40]));
        node.sim.ftruncate(grows, 70); // the workload writes on after handing it over
        refused(ErrorCode.QUOTA_EXCEEDED, () -> node.engine.preserve(X, "vm", 3, node.memfd(new byte[1])));
        node.engine.preserve(Y, "vm", 3, node.memfd(new byte[100]));
        assertThat(node.engine.status(X, null).peer().bytes()).isEqualTo(110);
    }
}
