package dev.liveupdate.fleetscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM's memory after a full collection, read from outside: {@code jcmd PID GC.run} (what is left is the live set:
 * the caches and what the operator holds), then {@code jstat -gc PID} for heap and metaspace in use, and the thread
 * count and RSS from /proc. The JDK tools of the harness's own java are used; the target must be the same user's.
 */
record JvmMemory(double heapUsedMib, double heapCommittedMib, double metaspaceUsedMib, int threads, double rssMib) {

    static JvmMemory afterFullGc(long pid) {
        run(tool("jcmd"), Long.toString(pid), "GC.run");
        String jstat = run(tool("jstat"), "-gc", Long.toString(pid));
        JvmMemory m = fromJstat(jstat, threads(pid), ProcessSample.of(pid) == null ? Double.NaN : ProcessSample.of(pid).rssMib());
        return m;
    }

    /** Parses {@code jstat -gc} (KiB columns by name: S0U S1U EU OU are the heap in use, MU the metaspace). */
    static JvmMemory fromJstat(String jstat, int threads, double rssMib) {
        List<String> lines = jstat.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        if (lines.size() < 2) {
            throw new IllegalStateException("unexpected jstat -gc output: " + jstat);
        }
        List<String> header = Arrays.asList(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        java.util.function.ToDoubleFunction<String> col = name -> {
            int i = header.indexOf(name);
            return i < 0 || values[i].equals("-") ? 0 : Double.parseDouble(values[i]);
        };
        double used = col.applyAsDouble("S0U") + col.applyAsDouble("S1U") + col.applyAsDouble("EU") + col.applyAsDouble("OU");
        double committed = col.applyAsDouble("S0C") + col.applyAsDouble("S1C") + col.applyAsDouble("EC") + col.applyAsDouble("OC");
        return new JvmMemory(used / 1024, committed / 1024, col.applyAsDouble("MU") / 1024, threads, rssMib);
    }

    static int threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("Threads:"))
                    .map(l -> Integer.parseInt(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
