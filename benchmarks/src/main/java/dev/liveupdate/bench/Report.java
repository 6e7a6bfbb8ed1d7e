package dev.liveupdate.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Formatting: a live row per launch, the per-variant summary (median and range), and the output file. */
final class Report {
    private Report() {
    }

    private record Column(String title, String unit, ToLongFunction<Sample> value, boolean mib) {
    }

    private static final List<Column> SUMMARY = List.of(
            new Column("fds back (kexec)", "ms", Sample::fdsBackMs, false),
            new Column("cpu to fds back", "ms", Sample::cpuMsAtFdsBack, false),
            new Column("device ready", "ms", Sample::deviceReadyMs, false),
            new Column("settled (log line)", "ms", Sample::settledMs, false),
            new Column("http ready", "ms", Sample::httpReadyMs, false),
            new Column("quarkus started", "ms", Sample::startedMs, false),
            new Column("cpu to ready", "ms", Sample::cpuMsAtReady, false),
            new Column("idle RSS", "MiB", s -> s.idle().rssKiB(), true),
            new Column("RssAnon", "MiB", s -> s.idle().rssAnonKiB(), true),
            new Column("RssFile", "MiB", s -> s.idle().rssFileKiB(), true),
            new Column("VmHWM", "MiB", s -> s.idle().hwmKiB(), true),
            new Column("threads", "", s -> s.idle().threads(), false),
            new Column("heap used", "MiB", s -> s.jvm().heapUsedKiB(), true),
            new Column("heap committed", "MiB", s -> s.jvm().heapCommittedKiB(), true),
            new Column("metaspace used", "MiB", s -> s.jvm().metaspaceUsedKiB(), true),
            new Column("classes", "", s -> s.jvm().classesLoaded(), false),
            new Column("load1", "x100", s -> Math.round(s.load1() * 100), false));

    static String header() {
        return String.format(Locale.ROOT, "%-24s %3s %7s %7s %7s %7s %7s %7s %8s %8s %7s %7s %7s %6s", "variant[/launch]", "run", "fdsBack", "device", "http",
                "started", "cpu", "rssMiB", "anonMiB", "hwmMiB", "threads", "heapMiB", "metaMiB", "load1");
    }

    static String row(Sample s) {
        return String.format(Locale.ROOT, "%-24s %3d %7d %7d %7d %7d %7d %7.1f %8.1f %8.1f %7d %7.1f %7.1f %6.2f", s.group(), s.run(),
                s.fdsBackMs(), s.deviceReadyMs(), s.httpReadyMs(), s.startedMs(), s.cpuMsAtReady(), mib(s.idle().rssKiB()), mib(s.idle().rssAnonKiB()),
                mib(s.idle().hwmKiB()), s.idle().threads(), mib(s.jvm().heapUsedKiB()), mib(s.jvm().metaspaceUsedKiB()), s.load1());
    }

    /** Per variant: median (min-max) of each column over its runs. */
    static String summary(List<Sample> samples) {
        Map<String, List<Sample>> byVariant = samples.stream().collect(Collectors.groupingBy(Sample::group, LinkedHashMap::new, Collectors.toList()));
        List<String> lines = new ArrayList<>();
        lines.add("median (min-max) over the runs of each variant; times from launching java, memory after the idle window");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-25s", "metric"));
        byVariant.forEach((v, list) -> head.append(String.format(Locale.ROOT, " | %-26s", v + " (n=" + list.size() + ")")));
        lines.add(head.toString());
        for (Column c : SUMMARY) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-25s", c.title() + (c.unit().isEmpty() ? "" : " [" + c.unit() + "]")));
            byVariant.forEach((v, list) -> b.append(String.format(Locale.ROOT, " | %-26s", cell(list, c))));
            lines.add(b.toString());
        }
        return String.join("\n", lines);
    }

    private static String cell(List<Sample> list, Column c) {
        long[] v = list.stream().mapToLong(c.value()).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
        if (c.mib()) {
            return v.length == 1 ? String.format(Locale.ROOT, "%.1f", median / 1024)
                    : String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median / 1024, v[0] / 1024.0, v[v.length - 1] / 1024.0);
        }
        if (c.unit().equals("x100")) {
            return v.length == 1 ? String.format(Locale.ROOT, "%.2f", median / 100)
                    : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median / 100, v[0] / 100.0, v[v.length - 1] / 100.0);
        }
        return v.length == 1 ? String.format(Locale.ROOT, "%.0f", median)
                : String.format(Locale.ROOT, "%.0f (%d-%d)", median, v[0], v[v.length - 1]);
    }

    /** The output file: "# key: value" lines, a TSV table of every launch, then the summary as comments. */
    static String file(Map<String, String> meta, List<Sample> samples, String summary) {
        StringBuilder b = new StringBuilder("# liveupdate-operator footprint benchmark (benchmarks module, docs/benchmarks.md)\n");
        meta.forEach((k, v) -> b.append("# ").append(k).append(": ").append(v).append('\n'));
        if (!samples.isEmpty()) {
            b.append(String.join("\t", samples.get(0).columns().keySet())).append('\n');
            for (Sample s : samples) {
                b.append(s.columns().values().stream().map(String::valueOf).collect(Collectors.joining("\t"))).append('\n');
            }
        }
        summary.lines().forEach(l -> b.append("# ").append(l).append('\n'));
        return b.toString();
    }

    static double mib(long kib) {
        return kib < 0 ? -1 : kib / 1024.0;
    }
}
