package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.testcluster.RepoLayout;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fleet-scale harness working: 20 kwok Nodes, 20 virtual agents, the packaged operator with the chart's
 * settings, one plan of 5 waves. Asserts what the run did (the plan succeeded, every node went through exactly one
 * kexec, every instruction was acknowledged) and that the report and plot hold the figures. No timing is asserted.
 */
class FleetScaleSmokeIT {

    @Test
    void twentyNodesRollOutAndTheReportHoldsTheFigures() throws Exception {
        Path root = RepoLayout.locate().root();
        Path out = root.resolve("fleet-scale/target/it/fleet-scale-smoke.txt");
        Files.deleteIfExists(out);
        FleetScaleOptions options = new FleetScaleOptions(20, Duration.ofMillis(300), Duration.ofMillis(500), "5", 1, Duration.ZERO,
                0, 0, null, null, Duration.ofSeconds(2), Duration.ofMinutes(5), out, root.resolve("fleet-scale/target/it/work"));

        FleetScaleResult r = FleetScaleBenchmark.runAndReport(options, FleetScaleRun.defaultOperatorJar(), "FleetScaleSmokeIT");

        assertThat(r.planPhase()).isEqualTo(PlanPhase.Succeeded);
        assertThat(r.kexecsPerNode()).as("nodes by number of kexecs").isEqualTo(Map.of(1, 20L));
        assertThat(r.updated()).isEqualTo(20);
        assertThat(r.rebootFailures()).isZero();
        assertThat(r.ideal().waves()).isEqualTo(5);
        // Prepared, Rebooted, Finished and the cleared instruction: at least three per node, each acknowledged.
        assertThat(r.instructions()).isGreaterThanOrEqualTo(3 * 20);
        assertThat(r.unacknowledged()).isZero();
        assertThat(r.ack().count()).isEqualTo(r.instructions());
        assertThat(r.writesPerNodeUpdate()).isPositive();
        assertThat(r.planRequests().writes(java.util.Set.of("liveupdatenodes/status"))).as("agent status writes").isGreaterThanOrEqualTo(20);
        assertThat(r.planRequests().writes(java.util.Set.of("nodes"))).as("cordon and uncordon").isGreaterThanOrEqualTo(2 * 20);
        assertThat(r.operatorCpuMs()).isPositive();

        String text = Files.readString(out);
        for (String key : new String[] {"makespan_ms", "ideal_ms", "makespan_over_ideal", "api_writes_per_node_update",
            "agent_heartbeat_writes_per_node_minute", "operator_cpu_ms", "operator_rss_mib", "operator_heap_mib", "apiserver_rss_mib"}) {
            Matcher m = Pattern.compile("(?m)^" + key + ": max ?([0-9.]+)|^" + key + ": ([0-9.]+)|^" + key + ": used ([0-9.]+)").matcher(text);
            assertThat(m.find()).as(key + " in the report").isTrue();
        }
        Matcher ack = Pattern.compile("(?m)^ack_ms: p50 ([0-9.]+) p99 ([0-9.]+) max ([0-9.]+)").matcher(text);
        assertThat(ack.find()).as("ack_ms line").isTrue();
        assertThat(Double.parseDouble(ack.group(1))).isPositive();
        assertThat(text).contains("load average before: ", "APPLY liveupdatenodes/status", "plan phase: Succeeded");
        BufferedImage png = ImageIO.read(out.resolveSibling("fleet-scale-smoke.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(1200);
    }
}
