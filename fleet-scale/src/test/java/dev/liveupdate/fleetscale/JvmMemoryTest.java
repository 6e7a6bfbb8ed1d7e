package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmMemoryTest {

    @Test
    void heapAndMetaspaceComeFromTheNamedJstatColumns() {
        String jstat = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                2048.0 2048.0  0.0   512.0  16384.0   1024.0   40960.0    20480.0  56320.0 53248.0 7168.0 6400.0     12    0.050   2      0.100    -          -    0.150
                """;

        JvmMemory m = JvmMemory.fromJstat(jstat, 51, 190.5);

        assertThat(m.heapUsedMib()).isEqualTo((512 + 1024 + 20480) / 1024.0);
        assertThat(m.heapCommittedMib()).isEqualTo((2048 + 2048 + 16384 + 40960) / 1024.0);
        assertThat(m.metaspaceUsedMib()).isEqualTo(52.0);
        assertThat(m.threads()).isEqualTo(51);
        assertThat(m.rssMib()).isEqualTo(190.5);
    }

    @Test
    void outputWithoutAValueLineIsAnError() {
        assertThatThrownBy(() -> JvmMemory.fromJstat("12345 not found\n", 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jstat -gc");
    }
}
