package dev.liveupdate.operator.planning;

import java.util.List;

/**
 * The nearest-rank percentile: the smallest value that at least q percent of the values do not exceed, that is the
 * value at rank ceil(q/100 * n) (1-based) of the values sorted ascending. Always one of the measured values (no
 * interpolation), so a bound of 3s on p95 means "at least 95% of the nodes took 3s or less".
 */
final class NearestRank {
    private NearestRank() {
    }

    /** @param ascending the values sorted ascending, not empty; @param quantile in (0, 100] */
    static long of(List<Long> ascending, double quantile) {
        if (ascending.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        // Rounded to 1e-9 first so 95% of 20 is rank 19, not 20 through a floating-point error.
        double exact = Math.round(quantile / 100.0 * ascending.size() * 1e9) / 1e9;
        int rank = (int) Math.ceil(exact);
        return ascending.get(Math.min(ascending.size(), Math.max(1, rank)) - 1);
    }
}
