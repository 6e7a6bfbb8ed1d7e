package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FleetScaleOptionsTest {

    private static FleetScaleOptions withFaults(int nodes, int fail, int stall) {
        return new FleetScaleOptions(nodes, Duration.ofSeconds(1), Duration.ofSeconds(1), "10%", 1, Duration.ZERO, fail, stall, null, null,
                Duration.ZERO, Duration.ofMinutes(1), Path.of("out.txt"), Path.of("work"));
    }

    @Test
    void faultsAreSpreadEvenlyAndNeverHitTheCanary() {
        FleetScaleOptions o = withFaults(1000, 5, 5);
        assertThat(IntStream.range(0, 1000).filter(o::fails).count()).isEqualTo(50);
        assertThat(IntStream.range(0, 1000).filter(o::stalls).count()).isEqualTo(50);
        assertThat(IntStream.range(0, 1000).filter(i -> o.fails(i) && o.stalls(i)).count()).isZero();
        assertThat(o.fails(0) || o.stalls(0)).isFalse();
        // one of each in every 20 nodes: no wave of 100 gets them all
        assertThat(IntStream.range(100, 200).filter(o::fails).count()).isEqualTo(5);
    }

    @Test
    void exactlyTheMissingKernelNodesLackItSpreadOverTheFleetNeverTheCanary() {
        FleetScaleOptions o = new FleetScaleOptions(1000, Duration.ofSeconds(1), Duration.ofSeconds(1), "10%", 1,
                Duration.ZERO, 0, 0, null, null, Duration.ZERO, Duration.ofMinutes(1), Path.of("out.txt"),
                Path.of("work"), 3);
        assertThat(IntStream.range(0, 1000).filter(o::lacksKernel).boxed().toList()).containsExactly(1, 334, 667);
        assertThat(withFaults(1000, 0, 0).lacksKernel(1)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FleetScaleOptions(3, Duration.ZERO, Duration.ZERO,
                "1", 0, Duration.ZERO, 0, 0, null, null, Duration.ZERO, Duration.ZERO, Path.of("o"), Path.of("w"), 3))
                .hasMessageContaining("fleet.missing-kernel must be 0..2");
    }

    @Test
    void percentagesRoundDownAndNeverBelowOne() {
        assertThat(withFaults(1000, 0, 0).resolvedMaxUnavailable()).isEqualTo(100);
        assertThat(withFaults(5, 0, 0).resolvedMaxUnavailable()).isEqualTo(1);
    }

    @Test
    void durationsInTheUsualUnits() {
        assertThat(FleetScaleOptions.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(FleetScaleOptions.parse("k", "3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(FleetScaleOptions.parse("k", "PT2S")).isEqualTo(Duration.ofSeconds(2));
    }
}
