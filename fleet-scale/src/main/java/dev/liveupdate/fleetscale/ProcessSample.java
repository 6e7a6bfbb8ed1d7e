package dev.liveupdate.fleetscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory and CPU time from /proc (Linux): VmRSS and VmHWM in KiB, user+system CPU in ms.
 * Null when the process is gone.
 */
public record ProcessSample(long rssKib, long hwmKib, long cpuMillis) {
    /** USER_HZ: 100 on every Linux architecture the project runs on. */
    private static final long CLOCK_TICKS = 100;

    public static ProcessSample of(long pid) {
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return new ProcessSample(rss, hwm, cpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException e) {
            return null;
        }
    }

    /** utime + stime of a /proc/PID/stat line (fields 14 and 15; the command name may hold spaces, so count after ')'). */
    static long cpuMillis(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000 / CLOCK_TICKS;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    public double rssMib() {
        return rssKib / 1024.0;
    }
}
