package dev.liveupdate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.testcluster.RepoLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the harness from rotting: one run (first launch and one restart of the packaged agent, one operator
 * launch) against a real control plane, then checks that the output file holds sane numbers. No timing is
 * asserted: speed and memory are the benchmark's business (docs/benchmarks.md), not a test's.
 */
class FootprintBenchmarkIT {

    @Test
    void oneRunWritesTheFileWithPositiveNumbers() throws Exception {
        Path root = RepoLayout.locate().root();
        Path out = root.resolve("benchmarks/target/it/agent-footprint.txt");
        Files.deleteIfExists(out);
        Path agentJar = root.resolve("node-agent/target/quarkus-app/quarkus-run.jar");
        Path operatorJar = root.resolve("operator/target/quarkus-app/quarkus-run.jar");
        Options options = new Options(1, 1, List.of(Variant.resolve("recommended", agentJar)), Duration.ofSeconds(1), true, 1,
                List.of("-XX:+UseSerialGC", "-Xmx256m"), false, out, out.getParent().resolve("bench"), root, operatorJar, true);
        List<String> printed = new ArrayList<>();

        Path written = new FootprintBenchmark(options, line -> {
            printed.add(line);
            System.out.println(line);
        }).run();

        assertThat(written).isEqualTo(out).isRegularFile();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(text).contains("# date: ", "# git: ", "# machine: ", "# variant recommended: -XX:+UseSerialGC", "device ready [ms]");
        List<Map<String, String>> rows = rows(text);
        Map<String, String> first = row(rows, "recommended", "first");
        Map<String, String> restart = row(rows, "recommended", "restart");
        Map<String, String> kexec = row(rows, "recommended", "kexec");
        assertThat(Long.parseLong(kexec.get("fds_back_ms"))).as("the workload had its file back after the kexec").isPositive();
        for (Map<String, String> r : List.of(first, restart, kexec)) {
            for (String column : List.of("device_ready_ms", "settled_ms", "http_ready_ms", "started_ms", "cpu_ms_at_ready", "rss_kib", "hwm_kib",
                    "rss_anon_kib", "threads", "heap_used_kib", "heap_committed_kib", "metaspace_used_kib", "classes")) {
                assertThat(Long.parseLong(r.get(column))).as(r.get("variant") + "/" + r.get("launch") + " " + column).isPositive();
            }
            // Units, not a target: a JVM under 1 MiB or above 4 GiB would mean /proc was misread.
            assertThat(Long.parseLong(r.get("rss_kib"))).isBetween(1024L, 4L * 1024 * 1024);
        }
        if (Files.isRegularFile(operatorJar)) {
            Map<String, String> op = row(rows, "operator", "first");
            assertThat(Long.parseLong(op.get("http_ready_ms"))).isPositive();
            assertThat(Long.parseLong(op.get("rss_kib"))).isPositive();
        } else {
            assertThat(text).contains("operator not measured");
        }
        assertThat(printed).anySatisfy(l -> assertThat(l).startsWith("median (min-max)"));
    }

    private static List<Map<String, String>> rows(String text) {
        List<String> lines = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        String[] header = lines.get(0).split("\t");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            assertThat(cells).as(line).hasSameSizeAs(header);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                m.put(header[i], cells[i]);
            }
            rows.add(m);
        }
        assertThat(Arrays.asList(header)).contains("variant", "launch", "device_ready_ms", "rss_kib", "threads");
        return rows;
    }

    private static Map<String, String> row(List<Map<String, String>> rows, String variant, String launch) {
        return rows.stream().filter(r -> variant.equals(r.get("variant")) && launch.equals(r.get("launch"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + variant + "/" + launch + " in " + rows));
    }
}
