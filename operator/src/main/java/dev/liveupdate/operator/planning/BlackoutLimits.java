package dev.liveupdate.operator.planning;

import java.time.Duration;

/**
 * A plan's blackout budget, parsed ({@code spec.strategy.blackoutBudget}). Either part may be absent.
 *
 * @param maxPerNode the longest blackout one node may have, or null
 * @param percentile the bound on a percentile of the finished nodes, or null
 */
public record BlackoutLimits(Duration maxPerNode, Percentile percentile) {
    public static final BlackoutLimits NONE = new BlackoutLimits(null, null);
    /** The percentile reported in the status when the plan bounds none. */
    public static final double REPORTED_QUANTILE = 95;

    /** "p{quantile} &lt;= max once minNodes measured nodes finished". */
    public record Percentile(double quantile, Duration max, int minNodes) {
    }

    /** The percentile the status reports: the bounded one, else p95. */
    double reportedQuantile() {
        return percentile == null ? REPORTED_QUANTILE : percentile.quantile();
    }

    /** "p95", "p99.9". */
    static String label(double quantile) {
        return quantile == Math.rint(quantile) ? "p" + (long) quantile : "p" + quantile;
    }
}
