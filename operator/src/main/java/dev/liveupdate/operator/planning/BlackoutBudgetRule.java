package dev.liveupdate.operator.planning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The blackout budget (strategy.blackoutBudget) judged over a plan's finished nodes: a node over {@code maxPerNode},
 * or the percentile over its bound once at least {@code minNodes} nodes were measured, exceeds it. Exactly at a
 * bound is within it. A finished node without a measurement counts for neither rule (and not towards
 * {@code minNodes}); it is reported as unmeasured. Plain logic: the caller decides what exceeding means (a halt).
 */
final class BlackoutBudgetRule {
    static final int WORST_LISTED = 5;
    static final int OVER_NAMED = 5;

    /** One finished node of the plan and its blackout, or null when its agent reported none. */
    record Measured(String node, Long millis) {
    }

    /**
     * What the budget saw.
     *
     * @param percentileMillis the reported percentile over the measured nodes (null when none was measured)
     * @param exceeded         which limit, the nodes and the figures; null when within the budget
     */
    record Verdict(int measured, int unmeasured, double quantile, Long percentileMillis, List<Measured> worst,
            String exceeded) {
        static final Verdict NOTHING = new Verdict(0, 0, BlackoutLimits.REPORTED_QUANTILE, null, List.of(), null);

        boolean isExceeded() {
            return exceeded != null;
        }
    }

    private BlackoutBudgetRule() {
    }

    static Verdict judge(BlackoutLimits limits, List<Measured> finished) {
        List<Measured> measured = new ArrayList<>();
        int unmeasured = 0;
        for (Measured m : finished) {
            if (m.millis() == null) {
                unmeasured++;
            } else {
                measured.add(m);
            }
        }
        double quantile = limits.reportedQuantile();
        if (measured.isEmpty()) {
            return new Verdict(0, unmeasured, quantile, null, List.of(), null);
        }
        measured.sort(Comparator.comparingLong(Measured::millis).reversed().thenComparing(Measured::node));
        List<Long> ascending = measured.stream().map(Measured::millis).sorted().toList();
        long percentile = NearestRank.of(ascending, quantile);
        List<String> why = new ArrayList<>();
        if (limits.maxPerNode() != null) {
            overMax(measured, limits.maxPerNode()).ifPresent(why::add);
        }
        BlackoutLimits.Percentile p = limits.percentile();
        if (p != null && measured.size() >= p.minNodes() && percentile > p.max().toMillis()) {
            why.add(BlackoutLimits.label(p.quantile()) + " of " + measured.size() + " finished nodes is "
                    + human(percentile) + ", above percentile.max " + Texts.human(p.max()) + " (slowest: "
                    + named(measured.subList(0, Math.min(OVER_NAMED, measured.size())), measured.size()) + ")");
        }
        return new Verdict(measured.size(), unmeasured, quantile, percentile,
                List.copyOf(measured.subList(0, Math.min(WORST_LISTED, measured.size()))),
                why.isEmpty() ? null : String.join("; ", why));
    }

    private static java.util.Optional<String> overMax(List<Measured> slowestFirst, Duration max) {
        List<Measured> over = slowestFirst.stream().takeWhile(m -> m.millis() > max.toMillis()).toList();
        if (over.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(over.size() + " node(s) over maxPerNode " + Texts.human(max) + ": "
                + named(over.subList(0, Math.min(OVER_NAMED, over.size())), over.size()));
    }

    /** "node-3 9.1s, node-7 6s and 2 more". */
    private static String named(List<Measured> shown, int total) {
        String s = shown.stream().map(m -> m.node() + " " + human(m.millis())).collect(Collectors.joining(", "));
        return total > shown.size() ? s + " and " + (total - shown.size()) + " more" : s;
    }

    static String human(long millis) {
        return Texts.human(Duration.ofMillis(millis));
    }
}
