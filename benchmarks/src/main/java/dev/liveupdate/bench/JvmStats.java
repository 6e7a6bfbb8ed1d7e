package dev.liveupdate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's own view of its heap, metaspace and loaded classes, read with {@code jstat} from the target's
 * hsperfdata file: no attach, so reading it does not add a thread or memory to the measured process.
 * Values are -1 when the target runs with -XX:-UsePerfData.
 */
record JvmStats(long heapUsedKiB, long heapCommittedKiB, long metaspaceUsedKiB, long metaspaceCommittedKiB,
                long classSpaceUsedKiB, long classesLoaded, long youngGcs, long fullGcs) {
    static final JvmStats UNKNOWN = new JvmStats(-1, -1, -1, -1, -1, -1, -1, -1);

    /** Read with the jstat next to {@code javaBin} (the target's JDK). */
    static JvmStats of(long pid, Path javaBin) {
        Path jstat = javaBin.resolveSibling("jstat");
        Map<String, Double> gc = jstat(jstat, "-gc", pid);
        Map<String, Double> cls = jstat(jstat, "-class", pid);
        if (gc.isEmpty()) {
            return UNKNOWN;
        }
        return new JvmStats(
                kib(gc, "S0U", "S1U", "EU", "OU"), kib(gc, "S0C", "S1C", "EC", "OC"),
                kib(gc, "MU"), kib(gc, "MC"), kib(gc, "CCSU"),
                cls.isEmpty() ? -1 : Math.round(cls.getOrDefault("Loaded", -1.0)),
                Math.round(gc.getOrDefault("YGC", -1.0)), Math.round(gc.getOrDefault("FGC", -1.0)));
    }

    private static long kib(Map<String, Double> values, String... columns) {
        double sum = 0;
        for (String c : columns) {
            Double v = values.get(c);
            if (v == null) {
                return -1;
            }
            sum += v;
        }
        return Math.round(sum);
    }

    /** Runs {@code jstat <option> <pid>} and maps its header line to its value line. */
    private static Map<String, Double> jstat(Path jstat, String option, long pid) {
        try {
            Process p = new ProcessBuilder(jstat.toString(), option, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Map.of();
            }
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                return Map.of();
            }
            String[] head = lines.get(0).trim().split("\\s+");
            String[] vals = lines.get(1).trim().split("\\s+");
            Map<String, Double> m = new HashMap<>();
            for (int i = 0; i < Math.min(head.length, vals.length); i++) {
                try {
                    m.put(head[i], Double.parseDouble(vals[i]));
                } catch (NumberFormatException e) {
                    // "-" for columns a collector does not have
                }
            }
            return m;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** {@code jcmd <pid> <command...>} output (attaches: only after the other numbers were taken). */
    static String jcmd(Path javaBin, long pid, String... command) {
        Path jcmd = javaBin.resolveSibling("jcmd");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
            cmd.addAll(List.of(command));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
