package dev.liveupdate.fleetscale;

import java.time.Duration;

/**
 * The schedule's lower bound for a plan: a wave cannot end before its nodes prepared (all at once, the barrier) and
 * then rebooted and restored (all at once, within maxUnavailable); waves run one after another with the soak time
 * between them. Wave 1 is the canary ({@code canaryNodes}, if any), every later wave has {@code maxUnavailable} nodes.
 */
public record IdealSchedule(int waves, Duration perWave, Duration soak) {

    public static IdealSchedule of(int nodes, int maxUnavailable, int canaryNodes, Duration prepare, Duration kexecRestore,
                                   Duration soak) {
        if (nodes < 1 || maxUnavailable < 1 || canaryNodes < 0) {
            throw new IllegalArgumentException("nodes and maxUnavailable must be >= 1, canaryNodes >= 0");
        }
        int canary = Math.min(canaryNodes, nodes);
        int rest = nodes - canary;
        int waves = (canary > 0 ? 1 : 0) + (rest + maxUnavailable - 1) / maxUnavailable;
        return new IdealSchedule(waves, prepare.plus(kexecRestore), soak);
    }

    public Duration total() {
        return perWave.multipliedBy(waves).plus(soak.multipliedBy(Math.max(0, waves - 1)));
    }
}
