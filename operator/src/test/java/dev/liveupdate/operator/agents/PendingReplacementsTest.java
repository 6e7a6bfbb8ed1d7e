package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PendingReplacementsTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void aNodeStaysPendingUntilAnotherPodIsOnIt() {
        PendingReplacements p = new PendingReplacements(clock);
        p.deleted("node-1", "agent-a");
        // The deleted pod terminating, then no pod at all: still pending.
        assertThat(p.stillPending(List.of(new AgentPod("agent-a", "node-1", true, true, true)))).containsExactly("node-1");
        assertThat(p.stillPending(List.of())).containsExactly("node-1");
        // The successor appears (not yet Ready: that the pods themselves show).
        assertThat(p.stillPending(List.of(new AgentPod("agent-b", "node-1", false, false, false)))).isEmpty();
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void aNodeWhoseSuccessorNeverComesIsForgottenAfterTheLimit() {
        PendingReplacements p = new PendingReplacements(clock);
        p.deleted("node-1", "agent-a");
        now.set(now.get().plus(PendingReplacements.LIMIT));
        assertThat(p.stillPending(List.of())).containsExactly("node-1");
        now.set(now.get().plusSeconds(1));
        assertThat(p.stillPending(List.of())).isEmpty();
    }
}
