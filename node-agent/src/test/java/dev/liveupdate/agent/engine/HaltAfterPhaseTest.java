package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaltAfterPhaseTest {
    private final FakeStatusSink stored = new FakeStatusSink();
    private final List<Integer> halts = new ArrayList<>();
    private final HaltAfterPhase sink = new HaltAfterPhase(stored, NodePhase.Prepared, halts::add);

    private static LiveUpdateNodeStatus status(NodePhase phase) {
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(phase);
        return s;
    }

    @Test
    void otherPhasesPassThroughWithoutHalting() {
        sink.publish(status(NodePhase.Preparing));
        assertThat(stored.published).extracting(LiveUpdateNodeStatus::getPhase).containsExactly(NodePhase.Preparing);
        assertThat(halts).isEmpty();
    }

    @Test
    void haltsLikeASigkillOnlyAfterTheChosenPhaseWasStored() {
        sink.publish(status(NodePhase.Prepared));
        assertThat(stored.published).extracting(LiveUpdateNodeStatus::getPhase).containsExactly(NodePhase.Prepared);
        assertThat(halts).containsExactly(HaltAfterPhase.KILLED);
    }

    @Test
    void preparingAlsoHaltsAtAPreparedThatCameInOnePass() {
        HaltAfterPhase preparing = new HaltAfterPhase(stored, NodePhase.Preparing, halts::add);
        preparing.publish(status(NodePhase.Idle));
        assertThat(halts).isEmpty();
        preparing.publish(status(NodePhase.Prepared));
        assertThat(halts).containsExactly(HaltAfterPhase.KILLED);
    }

    @Test
    void anUnstoredReportDoesNotHalt() {
        stored.refuseAcknowledged = true;
        sink.publish(status(NodePhase.Prepared));
        assertThat(halts).as("the crash must come after the API server has the phase").isEmpty();
        assertThat(stored.published).as("queued like any report").hasSize(1);
    }

    @Test
    void phaseNamesParseCaseInsensitivelyAndBadOnesNameTheChoices() {
        assertThat(HaltAfterPhase.parsePhase(" rebooting ")).isEqualTo(NodePhase.Rebooting);
        assertThatThrownBy(() -> HaltAfterPhase.parsePhase("Prepare")).hasMessageContaining("Prepared").hasMessageContaining("Restoring");
    }
}
