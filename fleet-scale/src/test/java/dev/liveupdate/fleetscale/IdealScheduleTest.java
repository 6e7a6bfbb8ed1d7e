package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdealScheduleTest {

    @Test
    void canaryThenFullWavesOfMaxUnavailable() {
        IdealSchedule s = IdealSchedule.of(1000, 100, 1, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ZERO);
        assertThat(s.waves()).isEqualTo(11); // 1 canary + ceil(999 / 100)
        assertThat(s.total()).isEqualTo(Duration.ofSeconds(55));
    }

    @Test
    void soakSeparatesWavesNotTheEnd() {
        IdealSchedule s = IdealSchedule.of(10, 5, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(s.waves()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(Duration.ofSeconds(2 * 2 + 10));
    }

    @Test
    void aCanaryLargerThanTheFleetIsOneWave() {
        assertThat(IdealSchedule.of(3, 1, 5, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO).waves()).isEqualTo(1);
    }
}
