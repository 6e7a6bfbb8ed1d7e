package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole engine over the kernel simulator: freeze acked in the old boot, resumed in the new one, the freeze in the blackout. */
class FreezeThroughKexecTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aSubscriberIsFrozenBeforeTheKexecAndToldResumedWithTheNewBootAfterIt(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(new byte[] {1, 2, 3}));
        node.instruct(NodeStep.Prepared);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        String bootBefore = node.sim.hostInfo().bootId();
        RecordingSubscriber[] vmm = new RecordingSubscriber[1];
        vmm[0] = new RecordingSubscriber("host vmm", n -> {
            if (n.kind().equals(Notice.FREEZE)) {
                node.engine.notices().acked(vmm[0], n.id());
            }
        });
        node.engine.notices().add(vmm[0]);

        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        assertThat(vmm[0].kinds()).containsExactly(Notice.FREEZE);
        Blackout rebooting = node.sink.last().getBlackout();
        assertThat(rebooting.getFreezeMillis()).isNotNull();
        assertThat(rebooting.getFreezeResult()).contains("all 1 subscriber(s) acknowledged");

        node.boot(); // the agent of the new kernel; the workload connects and subscribes again
        RecordingSubscriber again = new RecordingSubscriber("host vmm", n -> { });
        Notice resumed = node.engine.notices().add(again);

        assertThat(resumed).isNotNull();
        assertThat(resumed.kind()).isEqualTo(Notice.RESUMED);
        assertThat(resumed.text("bootIDBefore")).isEqualTo(bootBefore);
        assertThat(resumed.text("bootID")).isEqualTo(node.sim.hostInfo().bootId()).isNotEqualTo(bootBefore);
        assertThat(resumed.text("plan")).isEqualTo("kernel-7-3");
        LiveUpdateNodeStatus after = node.sink.last();
        assertThat(after.getBlackout().getFreezeMillis()).as("carried over from the Rebooting report").isEqualTo(rebooting.getFreezeMillis());
        assertThat(after.getBlackout().getFreezeStartedAt()).isEqualTo(rebooting.getFreezeStartedAt());
    }
}
