package dev.liveupdate.fleetscale;

import dev.liveupdate.testcluster.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operator's memory at fleet size, several sizes in one sitting ({@link FleetMemoryRun}, docs/benchmarks.md,
 * "Operator memory at 5,000 nodes"): {@code -Dfleet.memory.nodes=1000,5000 -Dfleet.memory.settle=60s}. Writes
 * {@code fleet-scale/target/fleet-memory.txt} (or {@code fleet.memory.out}) and prints it.
 */
public final class FleetMemoryBenchmark {
    private FleetMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path module = RepoLayout.locate().root().resolve("fleet-scale");
        List<Integer> sizes = Arrays.stream(System.getProperty("fleet.memory.nodes", "1000,5000").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        Duration settle = FleetScaleOptions.parse("fleet.memory.settle", System.getProperty("fleet.memory.settle", "60s"));
        Path out = Path.of(System.getProperty("fleet.memory.out", module.resolve("target/fleet-memory.txt").toString()));
        Path work = Path.of(System.getProperty("fleet.work-dir", module.resolve("target/fleet-memory-work").toString()));
        int exit = 0;
        List<FleetMemoryRun.Result> results = new ArrayList<>();
        try {
            for (int n : sizes) {
                results.add(new FleetMemoryRun(n, settle, work.resolve("nodes-" + n), FleetScaleRun.defaultOperatorJar(), s -> System.out.println("fleet-memory: " + s)).run());
            }
        } catch (Exception e) {
            System.err.println("fleet-memory: " + e.getMessage());
            e.printStackTrace();
            exit = 1;
        }
        List<String> lines = lines(results, settle, FleetScaleBenchmark.git());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
        System.exit(exit);
    }

    static List<String> lines(List<FleetMemoryRun.Result> results, Duration settle, String git) {
        List<String> l = new ArrayList<>();
        l.add("# operator memory at fleet size: static fleet (no agents), the chart's operator flags; git " + git);
        l.add("# steady state after a settle window of " + settle.toSeconds() + " s; heap and metaspace after a full GC (jcmd GC.run, jstat -gc)");
        l.add("# plan: every node, canaryNodes 0, maxUnavailable " + FleetMemoryRun.MAX_UNAVAILABLE
                + ", prepare timeout 1 h: the first wave's Prepare instructions stay unanswered");
        l.add(String.format(Locale.ROOT, "%-6s %-5s %9s %9s %9s %9s %10s %10s %8s %9s  %s", "nodes", "state", "rss_peak", "rss_max", "rss_gc",
                "heap_gc", "heap_comm", "metaspace", "threads", "apiserver", "load average (1/5/15 min)"));
        for (FleetMemoryRun.Result r : results) {
            l.add(row(r.nodes(), "idle", r.idle()));
            l.add(row(r.nodes(), "plan", r.plan()));
        }
        l.add("# MiB; rss_peak: operator VmHWM (highest RSS since it started: the first lists included); rss_max: VmRSS max over the window; rss_gc, heap_gc, heap_comm (committed), metaspace, threads: after the GC");
        for (FleetMemoryRun.Result r : results) {
            l.add(String.format(Locale.ROOT, "# %d nodes: setup %d s; %d Prepare instructions outstanding; plan %s", r.nodes(),
                    r.setup().toSeconds(), r.instructed(), r.planPhase()));
        }
        return l;
    }

    private static String row(int nodes, String state, FleetMemoryRun.Snapshot s) {
        JvmMemory m = s.operator();
        return String.format(Locale.ROOT, "%-6d %-5s %9.1f %9.1f %9.1f %9.1f %10.1f %10.1f %8d %9.1f  %s", nodes, state, s.operatorRssPeakMib(), s.operatorRssMaxMib(),
                m.rssMib(), m.heapUsedMib(), m.heapCommittedMib(), m.metaspaceUsedMib(), m.threads(), s.apiServerRssMib(), s.load());
    }
}
