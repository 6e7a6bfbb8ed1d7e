package dev.liveupdate.operator;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaderElectionTimingsTest {

    @Test
    void defaultsAreOrdered() {
        assertThatCode(() -> LeaderElectionTimings.check(Duration.ofSeconds(137), Duration.ofSeconds(107),
                Duration.ofSeconds(26))).doesNotThrowAnyException();
    }

    @Test
    void renewDeadlineMustBeShorterThanTheLease() {
        assertThatThrownBy(() -> LeaderElectionTimings.check(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(5))).hasMessageContaining("renew-deadline (PT30S) must be shorter than lease-duration");
    }

    @Test
    void retryMustBeShorterThanTheRenewDeadline() {
        assertThatThrownBy(() -> LeaderElectionTimings.check(Duration.ofSeconds(60), Duration.ofSeconds(20),
                Duration.ofSeconds(20))).hasMessageContaining("retry-period (PT20S) must be shorter than renew-deadline");
        assertThatThrownBy(() -> LeaderElectionTimings.check(Duration.ofSeconds(60), Duration.ofSeconds(20),
                Duration.ZERO)).hasMessageContaining("must be positive");
    }
}
