package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.testcluster.RepoLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the static-fleet memory harness working: 20 kwok Nodes (one with a real agent's report, 19 copied from it),
 * the packaged operator with the chart's settings, idle then holding a plan's first wave. Asserts what the run did and
 * that every figure was read; no figure's size is asserted.
 */
class FleetMemorySmokeIT {

    @Test
    void twentyStaticNodesAreMeasuredIdleAndHoldingAWave() throws Exception {
        Path root = RepoLayout.locate().root();
        FleetMemoryRun.Result r = new FleetMemoryRun(20, Duration.ofSeconds(2), root.resolve("fleet-scale/target/it/memory-work"),
                FleetScaleRun.defaultOperatorJar(), s -> System.out.println("fleet-memory: " + s)).run();

        assertThat(r.nodes()).isEqualTo(20);
        // maxUnavailable 10% of 20, no canary: two Prepare instructions, never answered.
        assertThat(r.instructed()).isEqualTo(2);
        assertThat(r.planPhase()).startsWith("Progressing");
        for (FleetMemoryRun.Snapshot s : List.of(r.idle(), r.plan())) {
            assertThat(s.operator().heapUsedMib()).isPositive();
            assertThat(s.operator().heapCommittedMib()).isGreaterThanOrEqualTo(s.operator().heapUsedMib());
            assertThat(s.operator().metaspaceUsedMib()).isPositive();
            assertThat(s.operator().threads()).isPositive();
            assertThat(s.operatorRssPeakMib()).isGreaterThanOrEqualTo(s.operator().rssMib());
            assertThat(s.apiServerRssMib()).isPositive();
            assertThat(s.load()).contains("cpus");
        }
        List<String> lines = FleetMemoryBenchmark.lines(List.of(r), Duration.ofSeconds(2), "test");
        assertThat(lines).anyMatch(l -> l.startsWith("20     idle")).anyMatch(l -> l.startsWith("20     plan"))
                .anyMatch(l -> l.contains("2 Prepare instructions outstanding"));
    }
}
