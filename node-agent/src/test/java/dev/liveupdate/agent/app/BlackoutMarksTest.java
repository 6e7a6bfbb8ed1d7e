package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import org.junit.jupiter.api.Test;

class BlackoutMarksTest {
    private static LiveUpdateNodeStatus restoring(String rebootIssuedAt) {
        Blackout b = new Blackout();
        b.setRebootIssuedAt(rebootIssuedAt);
        b.setDeviceReopenedAt("2026-12-07T06:00:01Z");
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setBlackout(b);
        return s;
    }

    @Test
    void aRestoreGetsThisProcesssMarks() {
        BlackoutMarks marks = new BlackoutMarks();
        marks.socketServing(java.time.Instant.now());
        Blackout b = marks.mark(restoring("2026-12-07T06:00:00Z")).getBlackout();
        assertThat(b.getAgentStartedAt()).isNotNull();
        assertThat(b.getSocketServingAt()).isNotNull();
        assertThat(b.getApiConnectedAt()).as("not reached yet").isNull();
    }

    @Test
    void aProcessRestartedDuringTheRestoreKeepsTheFirstProcesssMarks() {
        LiveUpdateNodeStatus earlier = restoring("2026-12-07T06:00:00Z");
        earlier.getBlackout().setAgentStartedAt("2026-12-07T06:00:00.500Z");
        earlier.getBlackout().setSocketServingAt("2026-12-07T06:00:00.700Z");
        BlackoutMarks marks = new BlackoutMarks();
        marks.seed(earlier);
        marks.socketServing(java.time.Instant.now());

        Blackout b = marks.mark(restoring("2026-12-07T06:00:00Z")).getBlackout();

        assertThat(b.getAgentStartedAt()).isEqualTo("2026-12-07T06:00:00.500Z");
        assertThat(b.getSocketServingAt()).isEqualTo("2026-12-07T06:00:00.700Z");
    }

    @Test
    void marksOfAnotherRebootAndStatusesWithoutARestoreAreLeftAlone() {
        LiveUpdateNodeStatus earlier = restoring("2026-12-01T00:00:00Z");
        earlier.getBlackout().setAgentStartedAt("2026-12-01T00:00:01Z");
        BlackoutMarks marks = new BlackoutMarks();
        marks.seed(earlier);

        assertThat(marks.mark(restoring("2026-12-07T06:00:00Z")).getBlackout().getAgentStartedAt()).isNotEqualTo("2026-12-01T00:00:01Z");
        LiveUpdateNodeStatus idle = new LiveUpdateNodeStatus();
        assertThat(marks.mark(idle).getBlackout()).isNull();
    }
}
