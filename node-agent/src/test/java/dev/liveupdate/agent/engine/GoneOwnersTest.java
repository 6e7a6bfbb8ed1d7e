package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.agent.handoff.KubeletPodDirs;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of a pod that is gone are released after the grace, with an Event; never those of a pod the kubelet still
 * knows (also right after a kexec, before it restarted the pod), of a kernel session in progress, or of an
 * unfinished restore. The pods' presence comes from a kubelet pods directory ({@link KubeletPodDirs}) in a temp dir.
 */
class GoneOwnersTest {
    static final String AGENT_POD = "11111111-2222-3333-4444-555555555555";
    static final String POD_X = OwnershipTest.POD_X;
    static final Peer X = OwnershipTest.X;
    static final Peer Y = OwnershipTest.Y;
    static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    Path pods;
    SimNode node;

    @BeforeEach
    void node() throws Exception {
        pods = Files.createDirectories(dir.resolve("kubelet/pods"));
        Files.createDirectories(pods.resolve(AGENT_POD));
        Files.createDirectories(pods.resolve(POD_X));
        Files.createDirectories(pods.resolve(OwnershipTest.POD_Y));
        node = new SimNode(dir, Generation.B);
        node.presence = new KubeletPodDirs(pods, AGENT_POD);
        node.limits = new WorkloadLimits(64, 0, GRACE);
        node.boot();
    }

    private void podDeleted(String uid) throws Exception {
        Files.delete(pods.resolve(uid));
    }

    private void after(Duration d) {
        node.clock.advance(d);
        node.engine.tick();
    }

    @Test
    void aGonePodsFilesAreReleasedAfterTheGraceWithAnEvent() throws Exception {
        int fd = node.memfd(new byte[] {1});
        node.engine.preserve(X, "vm", 1, node.sim.dup(fd));
        node.engine.preserve(Y, "vm", 2, node.memfd(new byte[] {2}));
        after(Duration.ofHours(1));
        assertThat(node.engine.status(X, null).files()).as("a present pod keeps its files however long").hasSize(1);

        podDeleted(POD_X);
        after(Duration.ofSeconds(1)); // first seen gone: the grace starts
        after(GRACE.minusSeconds(2));
        assertThat(node.engine.status(X, null).files()).as("within the grace").hasSize(1);
        after(Duration.ofSeconds(2));
        assertThat(node.engine.status(X, null).files()).isEmpty();
        assertThat(node.engine.status(Y, null).files()).as("another pod's files stay").hasSize(1);
        assertThat(node.eventLog).anySatisfy(e -> assertThat(e).startsWith(GoneOwners.EVENT_REASON + ": released 1 file(s) of pod " + POD_X)
                .contains("vm/1"));
        assertThatThrownBy(() -> node.engine.retrieve(X, "vm", 1))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TOKEN));
    }

    @Test
    void aPodBackWithinTheGraceKeepsItsFiles() throws Exception {
        node.engine.preserve(X, "vm", 1, node.memfd(new byte[] {1}));
        podDeleted(POD_X);
        after(Duration.ofSeconds(1));
        after(GRACE.minusMinutes(1));
        Files.createDirectories(pods.resolve(POD_X)); // e.g. the directory was only being moved
        after(Duration.ofMinutes(5));
        podDeleted(POD_X);
        after(Duration.ofSeconds(1));
        after(GRACE.minusMinutes(1));
        assertThat(node.engine.status(X, null).files()).as("the grace started over").hasSize(1);
    }

    /** Files in a plan's kernel session follow the plan; after the kexec, an unfinished restore decides, not the timer. */
    @Test
    void filesAKexecStillNeedsStay() throws Exception {
        node.engine.preserve(X, "vm", 1, node.memfd(new byte[] {1}));
        node.instruct(NodeStep.Prepared);
        podDeleted(POD_X);
        after(Duration.ofSeconds(1));
        after(GRACE.plusMinutes(1));
        assertThat(node.engine.status(X, null).files()).singleElement().extracting(f -> f.state()).isEqualTo(FileState.Preserved);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);

        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot(); // the kubelet has not restarted pod X yet (and here never will): the restore rule decides
        after(Duration.ofSeconds(1));
        after(GRACE.plusMinutes(1));
        assertThat(node.engine.status(X, null).files()).singleElement().extracting(f -> f.state()).isEqualTo(FileState.Restorable);
        assertThat(node.eventLog).noneMatch(e -> e.startsWith(GoneOwners.EVENT_REASON));
    }

    /** After a kexec the pods' directories are still on the host's disk: a pod the kubelet restarts late keeps its files. */
    @Test
    void aPodNotYetRestartedAfterTheKexecIsPresent() throws Exception {
        node.engine.preserve(X, "vm", 1, node.memfd(new byte[] {1}));
        node.engine.preserve(X, "other", 2, node.memfd(new byte[] {2})); // a session no plan declares: held, not in the kernel
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        after(GRACE.multipliedBy(3));
        assertThat(node.engine.status(X, null).files()).extracting(f -> f.token()).contains(1L);
    }

    /** Without its own pod in the directory the agent cannot trust it (a wrong mount): nothing is ever released. */
    @Test
    void anUntrustedPodsDirectoryReleasesNothing() throws Exception {
        Files.delete(pods.resolve(AGENT_POD));
        node.engine.preserve(X, "vm", 1, node.memfd(new byte[] {1}));
        podDeleted(POD_X);
        after(Duration.ofSeconds(1));
        after(GRACE.multipliedBy(2));
        assertThat(node.engine.status(X, null).files()).hasSize(1);
        assertThat(new KubeletPodDirs(pods, null).of(X.owner())).isEqualTo(dev.liveupdate.agent.handoff.OwnerPresence.Presence.UNKNOWN);
        assertThat(new KubeletPodDirs(pods, AGENT_POD).of(SimNode.ROOT.owner()))
                .as("host processes are never released").isEqualTo(dev.liveupdate.agent.handoff.OwnerPresence.Presence.UNKNOWN);
    }
}
