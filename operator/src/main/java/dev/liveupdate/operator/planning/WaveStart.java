package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a wave starts: when no wave is active, fleet {@link Preflight} holds none back, the window is open and the
 * soak is over, the next pending nodes in rollout order get {@code Prepared}, as many as the canary size (wave 1) or
 * the budget allows; a node running a blocker pod is held back, with a bounded number of look-ups per pass.
 */
final class WaveStart {
    /** Blocker look-ups per pass, so thousands of blocked nodes cost bounded API calls. */
    static final int MAX_BLOCKER_CHECKS = 100;
    static final Duration BLOCKER_RECHECK = Duration.ofSeconds(30);

    private final PassContext pass;
    private final BlockerCheck blockers;
    private int blockerChecks;

    WaveStart(PassContext pass, BlockerCheck blockers) {
        this.pass = pass;
        this.blockers = blockers == null ? BlockerCheck.NONE : blockers;
    }

    /** @param budgetMax the resolved maxUnavailable: the size of every wave after the canary */
    void start(int budgetMax) {
        PlanSettings s = pass.settings;
        // Every pass, also while a wave runs: the status shows the nodes still to come, and Skip takes them out.
        if (pass.mode == PlanMode.NORMAL || pass.mode == PlanMode.PAUSED || pass.mode == PlanMode.HALTED) {
            pass.preflight = new Preflight(pass).check();
        }
        if (!pass.mode.mayTakeStep() || new WaveBarrier(pass).activeWave().isPresent()) {
            return;
        }
        List<Tracked> pending = new ArrayList<>();
        int maxWave = 0;
        for (Tracked t : pass.tracked) {
            maxWave = Math.max(maxWave, t.wave);
            if (t.bucket == NodeBucket.PENDING && !t.lunWritten) {
                pending.add(t);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        if (pass.preflight.halts()) {
            pass.waitingFor = "preflight (strategy.preflight Halt): " + pass.preflight.blockingSummary();
            return;
        }
        int wave = maxWave + 1;
        if (!new WindowGate(pass).open()) {
            return;
        }
        if (!new Soak(pass).soaked(wave)) {
            return;
        }
        int size = canarySize(wave) > 0 ? canarySize(wave) : budgetMax;
        int started = 0;
        for (Tracked t : blockerFairOrder(inRolloutOrder(pending))) {
            if (started >= size) {
                break;
            }
            if (s.hasBlockers()) {
                if (blockerChecks >= MAX_BLOCKER_CHECKS) {
                    pass.wakeAt(pass.now.plus(BLOCKER_RECHECK));
                    break;
                }
                blockerChecks++;
                Optional<String> pod = blockers.blockingPod(t.name());
                if (pod.isPresent()) {
                    t.block(Reasons.BLOCKER_POD + ": " + pod.get());
                    pass.wakeAt(pass.now.plus(BLOCKER_RECHECK));
                    continue;
                }
            }
            t.wave = wave;
            t.bucket = NodeBucket.PREPARING;
            pass.writes.issue(t, NodeStep.Prepared, new Ledger(pass.uid, wave, pass.now, pass.now, null, null, null,
                    null), null);
            started++;
        }
        if (started > 0) {
            Duration last = waveDuration(maxWave);
            if (last != null) {
                pass.waveDurations.add(last);
            }
            pass.events.add(PlanEvent.normal("WaveStarted", "wave " + wave + (canarySize(wave) > 0
                    ? " (canary)" : "") + " started with " + started + " node(s)"));
            pass.wakeAt(pass.now.plus(s.prepareTimeout()));
        }
    }

    /**
     * With blockers and more pending nodes than one pass may look up, the look-ups start at a point that moves every
     * {@link #BLOCKER_RECHECK}, so blocked nodes early in the order cannot keep the later ones from ever being tried.
     * Stateless: the offset comes from the clock.
     */
    List<Tracked> blockerFairOrder(List<Tracked> ordered) {
        if (!pass.settings.hasBlockers() || ordered.size() <= MAX_BLOCKER_CHECKS) {
            return ordered;
        }
        int offset = (int) Math.floorMod(pass.now.getEpochSecond() / BLOCKER_RECHECK.getSeconds(), (long) ordered.size());
        List<Tracked> rotated = new ArrayList<>(ordered.subList(offset, ordered.size()));
        rotated.addAll(ordered.subList(0, offset));
        return rotated;
    }

    /** Wave 1 is the canary when {@code canaryNodes} is set; 0 for every other wave. */
    int canarySize(int wave) {
        return wave == 1 ? pass.settings.canaryNodes() : 0;
    }

    /** How long {@code wave} took, from its first node's start to its last node settling (null when unknown). */
    Duration waveDuration(int wave) {
        Instant start = null;
        Instant end = null;
        String uid = pass.uid;
        for (Tracked t : pass.tracked) {
            if (wave > 0 && t.wave == wave && t.settledAt != null) {
                Instant st = t.ledger != null ? t.ledger.startedAt()
                        : t.lun() != null && t.lun().outcome(uid) != null ? t.lun().outcome(uid).startedAt() : null;
                if (st != null && (start == null || st.isBefore(start))) {
                    start = st;
                }
                if (end == null || t.settledAt.isAfter(end)) {
                    end = t.settledAt;
                }
            }
        }
        return start == null || end == null || end.isBefore(start) ? null : Duration.between(start, end);
    }

    private static List<Tracked> inRolloutOrder(List<Tracked> pending) {
        // The only super-linear step of a pass, and it runs only when a wave starts.
        List<Tracked> out = new ArrayList<>(pending);
        out.sort(RolloutOrder.BY_NAME);
        return out;
    }
}
