package dev.liveupdate.fleetscale;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What one fleet-scale run does, from system properties (docs/benchmarks.md, "Fleet scale").
 *
 * @param nodes           Nodes (and virtual agents) in the fleet
 * @param prepare         how long each node's preparation takes (spent in the kernel load, as on a real node)
 * @param kexecRestore    from the kexec until the agent of the new boot starts (the blackout the harness plays)
 * @param maxUnavailable  the plan's strategy.maxUnavailable (an integer or a percentage)
 * @param canaryNodes     the plan's strategy.canaryNodes
 * @param soak            the plan's strategy.soakTime
 * @param failPercent     share of nodes whose preparation fails (no kernel image where the agent looks)
 * @param stallPercent    share of nodes whose agent never sees an instruction (a hung watch)
 * @param maxFailures     the plan's strategy.maxFailures (null: the CRD's default, halt at the first)
 * @param prepareTimeout  the plan's timeouts.prepare (null: the CRD's default)
 * @param idle            the window before the plan in which the agents' own writes (heartbeat) are counted
 * @param timeout         how long the plan may take before the run gives up
 * @param out             the report file; the plot goes next to it (same name, .png)
 * @param workDir         control plane, operator and machines of the run
 * @param missingKernel   nodes whose agent cannot load the plan's kernel (fleet preflight must report them before any
 *                        wave and touch no node: the run then ends at the report)
 */
public record FleetScaleOptions(int nodes, Duration prepare, Duration kexecRestore, String maxUnavailable, int canaryNodes,
                                Duration soak, int failPercent, int stallPercent, Integer maxFailures, Duration prepareTimeout,
                                Duration idle, Duration timeout, Path out, Path workDir, int missingKernel) {

    public FleetScaleOptions(int nodes, Duration prepare, Duration kexecRestore, String maxUnavailable, int canaryNodes,
            Duration soak, int failPercent, int stallPercent, Integer maxFailures, Duration prepareTimeout,
            Duration idle, Duration timeout, Path out, Path workDir) {
        this(nodes, prepare, kexecRestore, maxUnavailable, canaryNodes, soak, failPercent, stallPercent, maxFailures,
                prepareTimeout, idle, timeout, out, workDir, 0);
    }

    public FleetScaleOptions {
        if (missingKernel < 0 || missingKernel >= nodes) {
            throw new IllegalArgumentException("fleet.missing-kernel must be 0.." + (nodes - 1) + ", got " + missingKernel);
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("fleet.nodes must be at least 1, got " + nodes);
        }
        if (failPercent < 0 || stallPercent < 0 || failPercent + stallPercent > 100) {
            throw new IllegalArgumentException("fleet.fail-percent and fleet.stall-percent must be 0..100 together");
        }
    }

    /** Reads the fleet.* system properties; defaults are a 100-node run. */
    public static FleetScaleOptions fromSystemProperties(Path moduleDir) {
        Path target = moduleDir.resolve("target");
        int nodes = Integer.getInteger("fleet.nodes", 100);
        String maxFailures = System.getProperty("fleet.max-failures", "");
        String prepareTimeout = System.getProperty("fleet.prepare-timeout", "");
        return new FleetScaleOptions(nodes,
                duration("fleet.prepare", "2s"),
                duration("fleet.kexec-restore", "3s"),
                System.getProperty("fleet.max-unavailable", "10%"),
                Integer.getInteger("fleet.canary", 1),
                duration("fleet.soak", "0s"),
                Integer.getInteger("fleet.fail-percent", 0),
                Integer.getInteger("fleet.stall-percent", 0),
                maxFailures.isBlank() ? null : Integer.valueOf(maxFailures.trim()),
                prepareTimeout.isBlank() ? null : parse("fleet.prepare-timeout", prepareTimeout),
                duration("fleet.idle", "20s"),
                duration("fleet.timeout", "30m"),
                Path.of(System.getProperty("fleet.out", target.resolve("fleet-scale-" + nodes + ".txt").toString())),
                Path.of(System.getProperty("fleet.work-dir", target.resolve("fleet-scale-work").toString())),
                Integer.getInteger("fleet.missing-kernel", 0));
    }

    /** Nodes whose preparation fails: spread evenly, one every 100/failPercent nodes, never the canary (index 0). */
    public boolean fails(int index) {
        return failPercent > 0 && index % (100 / failPercent) == 1;
    }

    /** Nodes that lack the plan's kernel: spread evenly, never the canary (index 0). */
    public boolean lacksKernel(int index) {
        return missingKernel > 0 && index > 0 && (index - 1) % (nodes / missingKernel) == 0
                && (index - 1) / (nodes / missingKernel) < missingKernel;
    }

    /** Nodes whose agent stalls: spread evenly, half a spacing after the failing ones. */
    public boolean stalls(int index) {
        if (stallPercent <= 0) {
            return false;
        }
        int spacing = 100 / stallPercent;
        return !fails(index) && index % spacing == (spacing / 2 + 1) % spacing;
    }

    /** maxUnavailable resolved against the fleet size as the operator does (a percentage rounds down, at least 1). */
    public int resolvedMaxUnavailable() {
        String v = maxUnavailable.trim();
        if (v.endsWith("%")) {
            int pct = Integer.parseInt(v.substring(0, v.length() - 1));
            return Math.max(1, nodes * pct / 100);
        }
        return Integer.parseInt(v);
    }

    public static String nodeName(int index) {
        return String.format(Locale.ROOT, "kwok-node-%05d", index);
    }

    private static Duration duration(String key, String def) {
        return parse(key, System.getProperty(key, def));
    }

    /** "2s", "500ms", "3m" or ISO-8601 ("PT2S"). */
    static Duration parse(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + text + " is not a duration (examples: 500ms, 2s, 3m, PT2S)", e);
        }
    }
}
