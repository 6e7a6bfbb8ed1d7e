package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplacementPaceTest {

    @Test
    void anIntegerIsTakenAsIs() {
        assertThat(ReplacementPace.allowed("3", 100)).isEqualTo(3);
        assertThat(ReplacementPace.allowed(" 1 ", 5000)).isEqualTo(1);
    }

    @Test
    void aPercentageRoundsUpAndIsAtLeastOne() {
        assertThat(ReplacementPace.allowed("10%", 5000)).isEqualTo(500);
        assertThat(ReplacementPace.allowed("10%", 11)).isEqualTo(2);
        assertThat(ReplacementPace.allowed("10%", 3)).isEqualTo(1);
        assertThat(ReplacementPace.allowed("10%", 0)).isEqualTo(1);
        assertThat(ReplacementPace.allowed("100%", 7)).isEqualTo(7);
        assertThat(ReplacementPace.allowed("", 7)).isEqualTo(1);
    }

    @Test
    void anythingElseIsRejectedWithTheSettingsName() {
        for (String bad : new String[] {"0", "-1", "0%", "101%", "ten", "1.5"}) {
            assertThatThrownBy(() -> ReplacementPace.allowed(bad, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("liveupdate.operator.agent-max-unavailable=" + bad);
        }
    }
}
