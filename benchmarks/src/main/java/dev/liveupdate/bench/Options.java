package dev.liveupdate.bench;

import dev.liveupdate.testcluster.RepoLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to run, from system properties (all optional):
 * <ul>
 * <li>{@code bench.runs} (5): launches per agent variant, interleaved across variants</li>
 * <li>{@code bench.restarts} (1): relaunches of the agent on the same node after the first launch, each measured
 *     (label "variant/restart")</li>
 * <li>{@code bench.variants} ("recommended"): comma-separated variant names, see {@link Variant#resolve}</li>
 * <li>{@code bench.idle} (10s): idle window after readiness before the memory is read</li>
 * <li>{@code bench.operator} (true): also measure the operator; {@code bench.operator.runs} (min(3, runs)),
 *     {@code bench.operator.flags} ("-XX:+UseSerialGC -Xmx256m")</li>
 * <li>{@code bench.nmt} (false): add -XX:NativeMemoryTracking=summary and save jcmd VM.native_memory summary per run
 *     (NMT itself costs a few MiB: do not compare its RSS with runs without it)</li>
 * <li>{@code bench.kexec} (true): after the restarts, a launch after a simulated kexec with a workload waiting for its file</li>
 * <li>{@code bench.out} (benchmarks/target/agent-footprint.txt)</li>
 * <li>{@code bench.agent.jar} (node-agent/target/quarkus-app/quarkus-run.jar), {@code bench.operator.jar}</li>
 * </ul>
 */
record Options(int runs, int restarts, List<Variant> variants, Duration idle, boolean operator, int operatorRuns, List<String> operatorFlags,
               boolean nmt, Path out, Path workDir, Path repoRoot, Path operatorJar, boolean kexec) {

    static Options fromSystemProperties() {
        Path root = RepoLayout.locate().root();
        int runs = Integer.getInteger("bench.runs", 5);
        Path agentJar = Path.of(System.getProperty("bench.agent.jar", root.resolve("node-agent/target/quarkus-app/quarkus-run.jar").toString()))
                .toAbsolutePath();
        List<Variant> variants = Variant.split(System.getProperty("bench.variants", "recommended").replace(',', ' ')).stream()
                .map(n -> Variant.resolve(n, agentJar)).toList();
        Path out = Path.of(System.getProperty("bench.out", root.resolve("benchmarks/target/agent-footprint.txt").toString())).toAbsolutePath();
        return new Options(runs, Integer.getInteger("bench.restarts", 1), variants, parseDuration(System.getProperty("bench.idle", "10s")),
                Boolean.parseBoolean(System.getProperty("bench.operator", "true")),
                Integer.getInteger("bench.operator.runs", Math.min(3, runs)),
                Variant.split(System.getProperty("bench.operator.flags", "-XX:+UseSerialGC -Xmx256m")),
                Boolean.getBoolean("bench.nmt"), out, out.getParent().resolve("bench"), root,
                Path.of(System.getProperty("bench.operator.jar", root.resolve("operator/target/quarkus-app/quarkus-run.jar").toString()))
                        .toAbsolutePath(),
                Boolean.parseBoolean(System.getProperty("bench.kexec", "true")));
    }

    /** "10s", "500ms", "2m" or an ISO-8601 duration. */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(s.trim());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(s.trim());
    }
}
