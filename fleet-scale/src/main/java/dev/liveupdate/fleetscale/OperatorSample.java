package dev.liveupdate.fleetscale;

import java.util.List;

/** The operator's JVM figures from its /q/metrics (Micrometer): heap in use, GC pauses so far. */
public record OperatorSample(double heapUsedMib, double heapCommittedMib, long gcPauses, double gcPauseSeconds, double gcPauseMaxSeconds) {

    public static OperatorSample from(String metrics) {
        if (metrics == null) {
            return null;
        }
        List<PromText.Sample> s = PromText.parse(metrics);
        return new OperatorSample(
                PromText.sum(s, "jvm_memory_used_bytes", x -> x.label("area").equals("heap")) / (1024 * 1024),
                PromText.sum(s, "jvm_memory_committed_bytes", x -> x.label("area").equals("heap")) / (1024 * 1024),
                (long) PromText.sum(s, "jvm_gc_pause_seconds_count", x -> true),
                PromText.sum(s, "jvm_gc_pause_seconds_sum", x -> true),
                PromText.max(s, "jvm_gc_pause_seconds_max", x -> true));
    }
}
