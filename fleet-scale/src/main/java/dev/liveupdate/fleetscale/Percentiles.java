package dev.liveupdate.fleetscale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a list of durations in nanoseconds, reported in milliseconds. */
public record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {

    public static Percentiles of(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new Percentiles(sorted.size(), rank(sorted, 50) / 1e6, rank(sorted, 99) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    /** The smallest value with at least p% of the values at or below it. */
    static long rank(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
