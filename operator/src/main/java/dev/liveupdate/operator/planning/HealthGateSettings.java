package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.HealthGates;
import java.time.Duration;
import java.util.List;

/**
 * A plan's health gates, parsed: whether pod gates exist (the pods themselves are looked up by {@link HealthProbe}),
 * how long the node must have been Ready, how long the gates may take, and whether a check pod runs.
 */
public record HealthGateSettings(boolean podGates, Duration nodeReadyFor, Duration timeout, boolean checkPod) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final HealthGateSettings NONE = new HealthGateSettings(false, null, DEFAULT_TIMEOUT, false);

    static HealthGateSettings of(HealthGates g, List<String> problems) {
        if (g == null) {
            return NONE;
        }
        return new HealthGateSettings(g.getPods() != null && !g.getPods().isEmpty(),
                PlanSettings.duration(g.getNodeReadyFor(), null, "healthGates.nodeReadyFor", problems),
                PlanSettings.duration(g.getTimeout(), DEFAULT_TIMEOUT, "healthGates.timeout", problems),
                g.getCheckPod() != null);
    }

    /** Whether a node has anything to pass before it is done. */
    public boolean any() {
        return podGates || nodeReadyFor != null || checkPod;
    }
}
