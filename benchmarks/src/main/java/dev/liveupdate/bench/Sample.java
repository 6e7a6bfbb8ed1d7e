package dev.liveupdate.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured process launch. Times are milliseconds from the moment the harness launched the
 * process ({@code java ...}); -1 where a number does not apply or could not be read.
 *
 * @param kind          "first" (fresh node: the agent creates its LiveUpdateNode), "restart" (same node and state again) or
 *                      "kexec" (the launch after a simulated kexec, with a workload waiting for its file)
 * @param startedMs     Quarkus' "started in" log line (its timestamp), i.e. the framework is up
 * @param settledMs     the agent's "device settled" log line: device opened (or known absent) and the first status handed to the client
 * @param deviceReadyMs DEVICE READY: the harness's watch on the API server saw the LiveUpdateNode status with inventory.capable=true
 * @param httpReadyMs   the first 200 from /q/health/ready (polled every 50 ms)
 * @param cpuMsAtReady  CPU time (user+system) the process used until both device ready and HTTP ready
 * @param idle          /proc numbers at the end of the idle window
 * @param rssMaxKiB     the largest VmRSS sampled during the idle window
 * @param cpuMsIdle     CPU time used during the idle window
 * @param jvm           heap, metaspace and classes (jstat)
 * @param fdsBackMs     launch "kexec" only: the workload's first successful retrieve through the socket (bytes verified), else -1
 * @param cpuMsAtFdsBack launch "kexec" only: the agent's CPU time (user+system) at that moment, else -1
 */
record Sample(String variant, String kind, int run, long pid, long startedMs, long settledMs, long deviceReadyMs, long httpReadyMs,
              long cpuMsAtReady, ProcStats idle, long rssMaxKiB, long cpuMsIdle, long idleMs, JvmStats jvm, double load1, long fdsBackMs, long cpuMsAtFdsBack) {

    /** Column name to value, in output order (also the TSV header). */
    Sample withFdsBack(long ms, long cpuMs) {
        return new Sample(variant, kind, run, pid, startedMs, settledMs, deviceReadyMs, httpReadyMs, cpuMsAtReady, idle, rssMaxKiB, cpuMsIdle,
                idleMs, jvm, load1, ms, cpuMs);
    }

    /** The summary column this sample belongs to. */
    String group() {
        return kind.equals("first") ? variant : variant + "/" + kind;
    }

    Map<String, Object> columns() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant);
        m.put("launch", kind);
        m.put("run", run);
        m.put("load1", String.format(java.util.Locale.ROOT, "%.2f", load1));
        m.put("fds_back_ms", fdsBackMs);
        m.put("cpu_ms_at_fds_back", cpuMsAtFdsBack);
        m.put("started_ms", startedMs);
        m.put("settled_ms", settledMs);
        m.put("device_ready_ms", deviceReadyMs);
        m.put("http_ready_ms", httpReadyMs);
        m.put("cpu_ms_at_ready", cpuMsAtReady);
        m.put("rss_kib", idle.rssKiB());
        m.put("hwm_kib", idle.hwmKiB());
        m.put("rss_anon_kib", idle.rssAnonKiB());
        m.put("rss_file_kib", idle.rssFileKiB());
        m.put("rss_max_idle_kib", rssMaxKiB);
        m.put("threads", idle.threads());
        m.put("cpu_ms_idle", cpuMsIdle);
        m.put("idle_ms", idleMs);
        m.put("heap_used_kib", jvm.heapUsedKiB());
        m.put("heap_committed_kib", jvm.heapCommittedKiB());
        m.put("metaspace_used_kib", jvm.metaspaceUsedKiB());
        m.put("metaspace_committed_kib", jvm.metaspaceCommittedKiB());
        m.put("classes", jvm.classesLoaded());
        m.put("young_gcs", jvm.youngGcs());
        m.put("full_gcs", jvm.fullGcs());
        return m;
    }
}
