package dev.liveupdate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiDurationsTest {
    @Test
    void parsesEveryUnitAndSums() {
        assertThat(ApiDurations.parse("1h30m", null)).isEqualTo(Duration.ofMinutes(90));
        assertThat(ApiDurations.parse("90s", null)).isEqualTo(Duration.ofSeconds(90));
        assertThat(ApiDurations.parse("250ms", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(ApiDurations.parse("0s", null)).isEqualTo(Duration.ZERO);
    }

    @Test
    void blankMeansTheFallbackAndGarbageIsRejected() {
        assertThat(ApiDurations.parse(null, Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(15));
        assertThat(ApiDurations.parse(" ", Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> ApiDurations.parse("15 minutes", null)).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ApiDurations.parse("1d", null)).hasMessageContaining("not a duration");
    }

    @Test
    void agreesWithTheSchemaPattern() {
        for (String ok : new String[] {"15m", "1h30m", "90s", "500ms", "0s"}) {
            assertThat(ok).matches(ApiPatterns.DURATION);
            assertThat(ApiDurations.parse(ok, null)).isNotNull();
        }
    }
}
