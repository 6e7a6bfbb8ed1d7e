package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Waves and their barrier: the active wave is the lowest one with unsettled work, a wave's nodes reboot only once all
 * of them are prepared, and a node failing before any reboot breaks its wave's barrier (its peers are cancelled, see
 * {@link HeldPrepared}).
 */
final class WaveBarrier {
    private final PassContext pass;

    WaveBarrier(PassContext pass) {
        this.pass = pass;
    }

    /** Waves whose barrier broke: a node of the wave failed before any reboot (target reboots nodes). */
    void findBrokenWaves() {
        PlanSettings s = pass.settings;
        if (!s.barrier() || !s.rebootsNodes()) {
            return;
        }
        HeldSettling settling = new HeldSettling(pass);
        for (Tracked t : pass.tracked) {
            if (!t.held || t.node() == null) {
                continue;
            }
            boolean failing = t.failure != null ? !t.failure.rebooted()
                    : t.lun().step() == NodeStep.Prepared && settling.prepareFailure(t) != null;
            if (failing) {
                pass.brokenWaves.add(t.wave);
            }
        }
    }

    /** Lowest wave that still has work for the current target. */
    Optional<Integer> activeWave() {
        int min = Integer.MAX_VALUE;
        for (Tracked t : pass.tracked) {
            if (t.held && !t.settled && t.bucket != null) {
                min = Math.min(min, t.wave);
            }
        }
        return min == Integer.MAX_VALUE ? Optional.empty() : Optional.of(min);
    }

    /**
     * The nodes of {@code wave} that wait to reboot, and whether its barrier holds: none of its nodes is still
     * preparing or being cancelled. One walk over the nodes gives both.
     */
    Readiness readiness(int wave) {
        List<Tracked> candidates = new ArrayList<>();
        boolean holds = true;
        for (Tracked t : pass.tracked) {
            if (t.held && t.wave == wave && t.bucket != null) {
                if (t.rebootCandidate) {
                    candidates.add(t);
                } else if (t.bucket == NodeBucket.PREPARING || t.bucket == NodeBucket.CANCELLED) {
                    holds = false;
                }
            }
        }
        return new Readiness(candidates, holds);
    }

    /** @param candidates the wave's prepared nodes waiting to reboot, in tracking order */
    record Readiness(List<Tracked> candidates, boolean barrierHolds) {
    }
}
