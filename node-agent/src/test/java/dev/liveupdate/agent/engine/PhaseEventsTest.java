package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseEventsTest {
    private final List<String> events = new ArrayList<>();
    private final StatusReporter reporter = new StatusReporter(new StatusSink() {
        @Override
        public void publish(LiveUpdateNodeStatus status) {
        }

        @Override
        public void publishAndWait(LiveUpdateNodeStatus status) {
        }
    }, (warning, reason, message) -> events.add((warning ? "Warning " : "Normal ") + reason),
            Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC), null);

    private static PlanReference plan() {
        PlanReference p = new PlanReference();
        p.setName("kernel-7-2");
        p.setUid("uid-1");
        p.setGeneration(1L);
        return p;
    }

    @Test
    void aWholeUpdateAnnouncesTheKexecAndTheOutcomeOnly() {
        for (NodePhase phase : List.of(NodePhase.Preparing, NodePhase.Prepared, NodePhase.Rebooting, NodePhase.Restoring,
                NodePhase.Updated, NodePhase.Finished, NodePhase.Idle)) {
            reporter.phase(plan(), phase, null, "m");
        }
        assertThat(events).containsExactly("Normal Rebooting", "Normal Finished");
    }

    @Test
    void everyFailureIsAWarningWithItsReasonAndACancellationIsAnOutcome() {
        reporter.phase(plan(), NodePhase.Preparing, null, "m");
        reporter.phase(plan(), NodePhase.Failed, "PrepareTimeout", "m");
        reporter.phase(plan(), NodePhase.Failed, "SessionsLost", "m");
        reporter.phase(plan(), NodePhase.Cancelled, null, "m");
        assertThat(events).containsExactly("Warning PrepareTimeout", "Warning SessionsLost", "Normal Cancelled");
    }

    @Test
    void theSamePhaseAgainIsNoNewEvent() {
        reporter.phase(plan(), NodePhase.Rebooting, null, "m");
        reporter.phase(plan(), NodePhase.Rebooting, null, "another message");
        assertThat(events).containsExactly("Normal Rebooting");
    }
}
