package dev.liveupdate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the kernel says about a process: /proc/PID/status (memory, threads) and /proc/PID/stat (CPU time). */
record ProcStats(long rssKiB, long hwmKiB, long rssAnonKiB, long rssFileKiB, long threads, long cpuMillis) {
    /** USER_HZ: utime/stime in /proc/PID/stat are in clock ticks, 100 per second on Linux. */
    private static final long TICKS_PER_SECOND = 100;

    static ProcStats of(long pid) throws IOException {
        Map<String, Long> status = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String digits = line.substring(colon + 1).replaceAll("[^0-9]", "");
            if (!digits.isEmpty() && digits.length() < 19) {
                status.put(line.substring(0, colon), Long.parseLong(digits));
            }
        }
        return new ProcStats(status.getOrDefault("VmRSS", -1L), status.getOrDefault("VmHWM", -1L),
                status.getOrDefault("RssAnon", -1L), status.getOrDefault("RssFile", -1L) + status.getOrDefault("RssShmem", 0L),
                status.getOrDefault("Threads", -1L), cpuMillis(pid));
    }

    /** utime + stime of the process (all its threads), in milliseconds (10 ms resolution). */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Field 2 (comm) may contain spaces; the rest follows the last ')'.
        List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+"));
        // After comm: state(3) ppid(4) ... utime(14) stime(15); index 0 here is field 3.
        long ticks = Long.parseLong(f.get(14 - 3)) + Long.parseLong(f.get(15 - 3));
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** The 1-minute load average and the CPU count, e.g. "3.41 (2 cpus)". */
    static String machineLoad() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return avg[0] + " " + avg[1] + " " + avg[2] + " (" + Runtime.getRuntime().availableProcessors() + " cpus)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
