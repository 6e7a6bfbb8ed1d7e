package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOverAHundredValues() {
        List<Long> nanos = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            nanos.add(i * 1_000_000);
        }
        Percentiles p = Percentiles.of(nanos);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50Ms()).isEqualTo(50.0);
        assertThat(p.p99Ms()).isEqualTo(99.0);
        assertThat(p.maxMs()).isEqualTo(100.0);
    }

    @Test
    void emptyIsNotANumber() {
        assertThat(Percentiles.of(List.of()).count()).isZero();
        assertThat(Percentiles.of(List.of()).p99Ms()).isNaN();
    }
}
