package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.ApiDurations;
import dev.liveupdate.api.v1alpha1.BlackoutBudget;
import dev.liveupdate.api.v1alpha1.BlackoutPercentile;
import dev.liveupdate.api.v1alpha1.CordonPolicy;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.PhaseTimeouts;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.api.SelectorMatcher;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan's spec with defaults applied and strings parsed, so the planner never parses anything. Problems the CRD's
 * schema cannot catch (an unknown time zone) end up in {@link #problems()}.
 */
public record PlanSettings(String kernelRelease, TargetPhase target, IntOrString maxUnavailable, int canaryNodes,
        boolean barrier, Duration soak, int maxFailures, boolean paused, boolean cancel, WindowSchedule window,
        boolean cordon, Duration prepareTimeout, Duration rebootTimeout, Duration finishTimeout, boolean hasBlockers,
        List<String> problems, boolean allowDowngrade, NodeJoinPolicy nodeJoin, boolean controlPlaneAllowed,
        FollowPrecedence followPrecedence, BlackoutLimits blackoutBudget, PreflightNeeds preflight,
        HealthGateSettings healthGates, int stagingParallelism) {

    public static final Duration DEFAULT_PREPARE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_REBOOT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_FINISH = Duration.ofMinutes(5);
    /** Nodes downloading a URL kernel at once, unless the plan says ({@code strategy.stagingParallelism}). */
    public static final int DEFAULT_STAGING_PARALLELISM = 10;

    public static PlanSettings from(LiveUpdateSpec spec) {
        List<String> problems = new ArrayList<>();
        RolloutStrategy s = spec.getStrategy() == null ? new RolloutStrategy() : spec.getStrategy();
        PhaseTimeouts t = spec.getTimeouts() == null ? new PhaseTimeouts() : spec.getTimeouts();
        WindowSchedule window = null;
        if (spec.getWindow() != null) {
            try {
                window = WindowSchedule.from(spec.getWindow());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        SelectorMatcher.problem(spec.getNodeSelector()).ifPresent(problems::add);
        String release = spec.getKernel() == null ? null : spec.getKernel().getRelease();
        if (release == null || release.isBlank()) {
            problems.add("spec.kernel.release is missing");
        }
        return new PlanSettings(release,
                spec.getTargetPhase() == null ? TargetPhase.Finished : spec.getTargetPhase(),
                s.getMaxUnavailable() == null ? new IntOrString(1) : s.getMaxUnavailable(),
                s.getCanaryNodes() == null ? 1 : Math.max(0, s.getCanaryNodes()),
                s.getBarrier() == null || s.getBarrier(),
                duration(s.getSoakTime(), Duration.ZERO, "strategy.soakTime", problems),
                s.getMaxFailures() == null ? 0 : Math.max(0, s.getMaxFailures()),
                Boolean.TRUE.equals(spec.getPaused()),
                Boolean.TRUE.equals(spec.getCancel()),
                window,
                spec.getCordon() != CordonPolicy.Never,
                duration(t.getPrepare(), DEFAULT_PREPARE, "timeouts.prepare", problems),
                duration(t.getReboot(), DEFAULT_REBOOT, "timeouts.reboot", problems),
                duration(t.getFinish(), DEFAULT_FINISH, "timeouts.finish", problems),
                spec.getBlockers() != null && !spec.getBlockers().isEmpty(),
                List.copyOf(problems),
                Boolean.TRUE.equals(s.getAllowDowngrade()),
                spec.getNodeJoin() == null ? NodeJoinPolicy.Frozen : spec.getNodeJoin(),
                false, FollowPrecedence.NONE,
                blackoutLimits(s.getBlackoutBudget(), problems), PreflightNeeds.of(spec),
                HealthGateSettings.of(spec.getHealthGates(), problems),
                s.getStagingParallelism() == null ? DEFAULT_STAGING_PARALLELISM : Math.max(1, s.getStagingParallelism()));
    }

    /** The same settings with the admin's choice on control-plane nodes (operator setting, not the plan's). */
    public PlanSettings withControlPlaneAllowed(boolean allowed) {
        return new PlanSettings(kernelRelease, target, maxUnavailable, canaryNodes, barrier, soak, maxFailures, paused,
                cancel, window, cordon, prepareTimeout, rebootTimeout, finishTimeout, hasBlockers, problems,
                allowDowngrade, nodeJoin, allowed, followPrecedence, blackoutBudget, preflight, healthGates,
                stagingParallelism);
    }

    /** The same settings with the operator's ranking of the Follow plans (other plans, not this one's spec). */
    public PlanSettings withFollowPrecedence(FollowPrecedence precedence) {
        return new PlanSettings(kernelRelease, target, maxUnavailable, canaryNodes, barrier, soak, maxFailures, paused,
                cancel, window, cordon, prepareTimeout, rebootTimeout, finishTimeout, hasBlockers, problems,
                allowDowngrade, nodeJoin, controlPlaneAllowed, precedence, blackoutBudget, preflight, healthGates,
                stagingParallelism);
    }

    /** The API server validated the budget already; what still fails to parse is reported, not guessed. */
    private static BlackoutLimits blackoutLimits(BlackoutBudget b, List<String> problems) {
        if (b == null) {
            return BlackoutLimits.NONE;
        }
        Duration perNode = duration(b.getMaxPerNode(), null, "strategy.blackoutBudget.maxPerNode", problems);
        BlackoutPercentile p = b.getPercentile();
        BlackoutLimits.Percentile percentile = null;
        if (p != null) {
            Duration max = duration(p.getMax(), null, "strategy.blackoutBudget.percentile.max", problems);
            double q = p.getQuantile() == null ? BlackoutLimits.REPORTED_QUANTILE : p.getQuantile();
            if (max == null || q <= 0 || q > 100) {
                problems.add("strategy.blackoutBudget.percentile needs a quantile in (0, 100] and a max, got quantile "
                        + p.getQuantile() + " and max " + p.getMax());
            } else {
                percentile = new BlackoutLimits.Percentile(q, max, p.getMinNodes() == null ? 5 : Math.max(1, p.getMinNodes()));
            }
        }
        return new BlackoutLimits(perNode, percentile);
    }

    static Duration duration(String text, Duration fallback, String field, List<String> problems) {
        try {
            return ApiDurations.parse(text, fallback);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return fallback;
        }
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Whether the target takes nodes through a reboot. */
    public boolean rebootsNodes() {
        return target != TargetPhase.Prepared;
    }
}
