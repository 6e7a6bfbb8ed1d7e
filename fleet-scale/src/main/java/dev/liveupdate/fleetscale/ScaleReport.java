package dev.liveupdate.fleetscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report file: `key: value` lines with every figure, the API requests by verb and resource, the timeline. */
final class ScaleReport {
    private ScaleReport() {
    }

    static List<String> lines(FleetScaleResult r, String command, String git) {
        FleetScaleOptions o = r.options();
        List<String> l = new ArrayList<>();
        l.add("# fleet-scale run");
        l.add("date: " + java.time.Instant.now());
        l.add("command: " + command);
        l.add("git: " + git);
        l.add("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        l.add("load average before: " + r.loadBefore());
        l.add("load average after: " + r.loadAfter());
        l.add(f("nodes: %d (fail %d%%, stall %d%%), prepare %d ms, kexec+restore %d ms, maxUnavailable %s (%d), canary %d, soak %d ms, maxFailures %s, prepare timeout %s",
                o.nodes(), o.failPercent(), o.stallPercent(), o.prepare().toMillis(), o.kexecRestore().toMillis(), o.maxUnavailable(),
                o.resolvedMaxUnavailable(), o.canaryNodes(), o.soak().toMillis(), o.maxFailures() == null ? "default" : o.maxFailures(),
                o.prepareTimeout() == null ? "default" : o.prepareTimeout().toSeconds() + "s"));
        l.add("setup: " + r.setup().toSeconds() + " s (control plane, kwok, chart, Nodes, tokens, agents)");
        l.add("");
        l.add("plan phase: " + r.planPhase() + (r.planMessage() == null ? "" : " (" + r.planMessage() + ")"));
        l.add(f("makespan_ms: %d", r.makespan().toMillis()));
        l.add(f("ideal_ms: %d (%d waves x %d ms + %d soaks x %d ms)", r.ideal().total().toMillis(), r.ideal().waves(),
                r.ideal().perWave().toMillis(), Math.max(0, r.ideal().waves() - 1), r.ideal().soak().toMillis()));
        l.add(f("makespan_over_ideal: %.3f", r.makespanOverIdeal()));
        l.add(f("overhead_per_wave_ms: %.0f", (r.makespan().toMillis() - r.ideal().total().toMillis()) / (double) r.ideal().waves()));
        l.add("nodes updated (exactly one kexec): " + r.updated() + "; nodes by kexec count: " + r.kexecsPerNode()
                + "; failed: " + r.failedNodes() + "; reboots whose new agent failed to start: " + r.rebootFailures());
        l.add(f("api_writes_per_node_update: %.2f (operator + agents: liveupdatenodes[/status], liveupdates[/status], nodes, events)",
                r.writesPerNodeUpdate()));
        for (String res : List.of("liveupdatenodes", "liveupdatenodes/status", "liveupdates/status", "nodes", "events")) {
            l.add(f("  writes per node update, %-24s %.2f", res + ":", r.updated() == 0 ? Double.NaN
                    : r.planRequests().writes(java.util.Set.of(res)) / (double) r.updated()));
        }
        l.add(f("agent_heartbeat_writes_per_node_minute: %.3f (liveupdatenodes/status writes in a %d s idle window before the plan)",
                r.heartbeatWritesPerNodeMinute(), r.idleWindow().toSeconds()));
        Percentiles a = r.ack();
        l.add(f("ack_ms: p50 %.1f p99 %.1f max %.1f (n=%d of %d instructions; %d never acknowledged)", a.p50Ms(), a.p99Ms(), a.maxMs(),
                a.count(), r.instructions(), r.unacknowledged()));
        r.ackByStep().forEach((step, p) -> l.add(f("  ack_ms %-10s p50 %.1f p99 %.1f max %.1f (n=%d)%s", step + ":", p.p50Ms(), p.p99Ms(),
                p.maxMs(), p.count(), step.equals("Prepared") ? " (the agent reports after the kernel load: includes the prepare time)" : "")));
        Percentiles w = r.ackWithoutPrepared();
        l.add(f("ack_ms_without_prepared: p50 %.1f p99 %.1f max %.1f (n=%d; Rebooted, Finished, cleared: no kernel load before the write)",
                w.p50Ms(), w.p99Ms(), w.maxMs(), w.count()));
        l.add(f("operator_cpu_ms: %d total, %.2f per node update", r.operatorCpuMs(), r.operatorCpuMsPerNode()));
        l.add(f("operator_rss_mib: max %.1f, end %.1f", r.operatorRssMaxMib(), r.operatorRssEndMib()));
        OperatorSample b = r.operatorBefore();
        OperatorSample e = r.operatorAfter();
        if (b != null && e != null) {
            l.add(f("operator_heap_mib: used %.1f (before the plan %.1f), committed %.1f", e.heapUsedMib(), b.heapUsedMib(), e.heapCommittedMib()));
            l.add(f("operator_gc: %d pauses, %.1f ms in total during the plan, max pause %.1f ms (Micrometer's recent max)",
                    e.gcPauses() - b.gcPauses(), (e.gcPauseSeconds() - b.gcPauseSeconds()) * 1000, e.gcPauseMaxSeconds() * 1000));
        } else {
            l.add("operator_heap_mib: unavailable (/q/metrics did not answer)");
        }
        l.add(f("apiserver_rss_mib: max %.1f; apiserver_cpu_ms during the plan: %.0f", r.apiServerRssMaxMib(), r.apiServerCpuMs()));
        r.notes().forEach(n -> l.add("note: " + n));
        l.add("");
        l.add("# API requests while the plan ran (apiserver_request_total after - before), per node update; * = counted as a write above");
        for (Map.Entry<String, Long> en : r.planRequests().entries()) {
            if (en.getKey().endsWith(" ")) {
                continue; // non-resource URLs (/metrics, /healthz)
            }
            boolean counted = ApiRequests.isWrite(en.getKey()) && FleetScaleResult.UPDATE_RESOURCES.contains(en.getKey().split(" ", 2)[1]);
            l.add(f("%-44s %8d %8.2f %s", en.getKey(), en.getValue(), r.updated() == 0 ? Double.NaN : en.getValue() / (double) r.updated(),
                    counted ? "*" : ""));
        }
        l.add("");
        l.add("# API requests in the idle window before the plan");
        for (Map.Entry<String, Long> en : r.idleRequests().entries()) {
            if (!en.getKey().endsWith(" ")) {
                l.add(f("%-44s %8d", en.getKey(), en.getValue()));
            }
        }
        l.add("");
        l.add("# plan marks (ms since the observer started; wave, phase)");
        r.marks().forEach(m -> l.add(m.atMillis() + "\t" + m.wave() + "\t" + m.phase()));
        l.add("");
        l.add("# nodes per column over time (ms, " + String.join(", ", java.util.Arrays.stream(FleetObserver.Column.values())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()) + ")");
        for (FleetObserver.Row row : r.rows()) {
            StringBuilder sb = new StringBuilder().append(row.atMillis());
            row.counts().values().forEach(v -> sb.append('\t').append(v));
            l.add(sb.toString());
        }
        return l;
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
