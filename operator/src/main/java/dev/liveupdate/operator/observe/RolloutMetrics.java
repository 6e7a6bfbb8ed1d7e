package dev.liveupdate.operator.observe;

import dev.liveupdate.api.v1alpha1.NodeCounts;
import dev.liveupdate.api.v1alpha1.PlanBlackout;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of the rollout engine (exposed at /q/metrics):
 * <ul>
 * <li>{@code liveupdate_plan_nodes{plan,phase}} gauge: nodes per status column</li>
 * <li>{@code liveupdate_plan_phase{plan,phase}} gauge: 1 for the plan's current phase, 0 for every other phase (so an
 * alert on {@code phase="Halted"} sees the series before the plan ever halts)</li>
 * <li>{@code liveupdate_wave_duration_seconds{plan}} timer: from a wave's first Prepared to its last node settled</li>
 * <li>{@code liveupdate_node_blackout_seconds{plan}} histogram: blackout reported by agents of finished nodes</li>
 * <li>{@code liveupdate_plan_blackout_percentile_seconds{plan,quantile}} gauge: the blackout percentile over the
 * plan's finished nodes (status.blackout; quantile "0.95" unless the plan's blackout budget names another)</li>
 * <li>{@code liveupdate_blackout_budget_halts_total{plan}} counter: times the plan halted on its blackout budget
 * (registered at 0 with the plan's first pass, so {@code increase()} sees the first halt)</li>
 * <li>{@code liveupdate_reconcile_errors_total{plan}} counter: reconciles that ended in an exception</li>
 * <li>{@code liveupdate_write_conflicts_total{plan}} counter: writes that lost a race and were retried</li>
 * </ul>
 * Plan names are the only label with user-chosen values; plans are few.
 */
@ApplicationScoped
public class RolloutMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    /** Per plan: the quantile label its percentile gauge has now, and the value in milliseconds. */
    private final Map<String, Map.Entry<String, AtomicLong>> percentiles = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void nodeCounts(String plan, NodeCounts c) {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("total", c.getTotal());
        values.put("pending", c.getPending());
        values.put("preparing", c.getPreparing());
        values.put("prepared", c.getPrepared());
        values.put("rebooting", c.getRebooting());
        values.put("updated", c.getUpdated());
        values.put("finished", c.getFinished());
        values.put("cancelled", c.getCancelled());
        values.put("failed", c.getFailed());
        values.put("skipped", c.getSkipped());
        values.put("blocked", c.getBlocked());
        values.forEach((phase, v) -> gauges.computeIfAbsent(plan + "\u0000" + phase, k -> {
            AtomicInteger holder = new AtomicInteger();
            Gauge.builder("liveupdate_plan_nodes", holder, AtomicInteger::get)
                    .description("Nodes of a LiveUpdate plan per status column")
                    .tags(Tags.of("plan", plan, "phase", phase)).register(registry);
            return holder;
        }).set(v == null ? 0 : v));
    }

    public void planPhase(String plan, PlanPhase current) {
        for (PlanPhase phase : PlanPhase.values()) {
            gauges.computeIfAbsent(plan + "\u0000phase\u0000" + phase.name(), k -> {
                AtomicInteger holder = new AtomicInteger();
                Gauge.builder("liveupdate_plan_phase", holder, AtomicInteger::get)
                        .description("1 for the LiveUpdate plan's current phase, 0 for the others")
                        .tags(Tags.of("plan", plan, "phase", phase.name())).register(registry);
                return holder;
            }).set(phase == current ? 1 : 0);
        }
    }

    /** The observed percentile from the plan's status; no series until a measured node finished. */
    public void blackoutPercentile(String plan, PlanBlackout b) {
        if (b == null || b.getPercentileMillis() == null || b.getPercentile() == null) {
            return;
        }
        String quantile = quantileLabel(b.getPercentile());
        Map.Entry<String, AtomicLong> current = percentiles.compute(plan, (k, old) -> {
            if (old != null && old.getKey().equals(quantile)) {
                return old;
            }
            if (old != null) { // the plan's budget names another quantile now: the old series would go stale
                removePercentileGauge(plan, old.getKey());
            }
            AtomicLong holder = new AtomicLong();
            Gauge.builder("liveupdate_plan_blackout_percentile_seconds", holder, h -> h.get() / 1000.0)
                    .description("Blackout percentile over the finished nodes of a LiveUpdate plan (nearest rank)")
                    .tags(Tags.of("plan", plan, "quantile", quantile)).register(registry);
            return Map.entry(quantile, holder);
        });
        current.getValue().set(b.getPercentileMillis());
    }

    /** "p95" -> "0.95", "p99.9" -> "0.999", "p100" -> "1" (Prometheus' quantile label convention). */
    static String quantileLabel(String percentile) {
        return new java.math.BigDecimal(percentile.substring(1)).movePointLeft(2).stripTrailingZeros().toPlainString();
    }

    private void removePercentileGauge(String plan, String quantile) {
        registry.find("liveupdate_plan_blackout_percentile_seconds").tags("plan", plan, "quantile", quantile).gauges()
                .forEach(registry::remove);
    }

    /** Counts the plan's halts on its blackout budget; {@code halts} 0 registers the series at 0. */
    public void blackoutBudgetHalts(String plan, int halts) {
        Counter c = Counter.builder("liveupdate_blackout_budget_halts")
                .description("Times a LiveUpdate plan halted because its blackout budget was exceeded")
                .tags("plan", plan).register(registry);
        if (halts > 0) {
            c.increment(halts);
        }
    }

    public void waveDuration(String plan, Duration d) {
        Timer.builder("liveupdate_wave_duration").description("Duration of a rollout wave")
                .tags("plan", plan).register(registry).record(d);
    }

    public void blackout(String plan, long millis) {
        DistributionSummary.builder("liveupdate_node_blackout").baseUnit("seconds")
                .description("Blackout of a node's live update, as reported by its agent").tags("plan", plan)
                .publishPercentileHistogram().register(registry).record(millis / 1000.0);
    }

    public void reconcileError(String plan) {
        Counter.builder("liveupdate_reconcile_errors").description("Reconciles that ended with an exception")
                .tags("plan", plan).register(registry).increment();
    }

    public void writeConflict(String plan) {
        Counter.builder("liveupdate_write_conflicts").description("Writes that lost a race and were retried")
                .tags("plan", plan).register(registry).increment();
    }

    /** Drops a deleted plan's gauges so they do not report stale values forever. */
    public void forget(String plan) {
        gauges.keySet().removeIf(k -> k.startsWith(plan + "\u0000"));
        Map.Entry<String, AtomicLong> percentile = percentiles.remove(plan);
        if (percentile != null) {
            removePercentileGauge(plan, percentile.getKey());
        }
        registry.getMeters().stream().filter(m -> plan.equals(m.getId().getTag("plan"))
                && (m.getId().getName().equals("liveupdate_plan_nodes") || m.getId().getName().equals("liveupdate_plan_phase")))
                .forEach(registry::remove);
    }
}
