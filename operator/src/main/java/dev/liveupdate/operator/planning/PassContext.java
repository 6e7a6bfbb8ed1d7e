package dev.liveupdate.operator.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the decisions of one planning pass share: the plan, the time, the nodes with their working notes, the writes
 * and events collected so far, and what the plan waits for. Made fresh for every pass, so nothing survives between
 * passes except what the writes store in the cluster.
 */
final class PassContext {
    final RolloutPlanner.Plan plan;
    final PlanSettings settings;
    final String uid;
    final Instant now;
    final List<Tracked> tracked;
    final PlanWrites writes = new PlanWrites(this);
    final List<PlanEvent> events = new ArrayList<>();
    /** Durations of waves that completed, for the metrics. */
    final List<Duration> waveDurations = new ArrayList<>();
    /** Other plans holding nodes this plan selected, with those nodes (the Conflict condition). */
    final Map<String, Set<String>> conflicts = new HashMap<>();
    /** Waves whose barrier broke (see {@link WaveBarrier#findBrokenWaves()}). */
    final Set<Integer> brokenWaves = new HashSet<>();
    PlanMode mode;
    /** What the blackout budget saw over the finished nodes (set by {@link HaltingRules}). */
    BlackoutBudgetRule.Verdict blackout = BlackoutBudgetRule.Verdict.NOTHING;
    /** The earliest time something is due (a timeout, soak end, window opening), or null. */
    Instant wakeUp;
    /** What the next step waits for, for the status message; the last decision to say so wins. */
    String waitingFor;
    /** Why the plan cannot move without a person (a Stalled reason), or null. */
    String stalledOn;
    /** What fleet preflight found over the nodes not started yet (set by {@link WaveStart}). */
    Preflight.Verdict preflight = Preflight.Verdict.NOTHING;
    /** The plan's pod health gates, asked live for nodes waiting on them ({@link HealthGate}). */
    HealthProbe healthProbe = HealthProbe.NONE;
    /** The end of the soak the next wave waits for, when that is what it waits for. */
    Instant soakUntil;

    PassContext(RolloutPlanner.Plan plan, List<NodeEntry> entries, Instant now) {
        this.plan = plan;
        this.settings = plan.settings();
        this.uid = plan.uid();
        this.now = now;
        this.tracked = new ArrayList<>(entries.size()); // sized once: growing it showed in the 5,000-node profile
        for (NodeEntry e : entries) {
            tracked.add(new Tracked(e, e.lun() != null && e.lun().heldBy(uid)));
        }
        this.mode = PlanMode.of(plan);
    }

    /** Asks for a pass no later than {@code at}; the earliest request wins. */
    void wakeAt(Instant at) {
        if (at != null && (wakeUp == null || at.isBefore(wakeUp))) {
            wakeUp = at;
        }
    }

    /** Timeouts count from the write of the node's current step. */
    boolean expired(Tracked t, Duration timeout) {
        return t.ledger.stepSince() != null && !now.isBefore(t.ledger.stepSince().plus(timeout));
    }

    int count(NodeBucket b) {
        int n = 0;
        for (Tracked t : tracked) {
            if (t.bucket == b) {
                n++;
            }
        }
        return n;
    }

    /** When to look again even if nothing changes: at {@link #wakeUp}, but not sooner than in a second. */
    Duration requeueAfter() {
        return wakeUp == null ? null
                : Duration.between(now, wakeUp).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : Duration.between(now, wakeUp);
    }

    /** The plan holds no node, cordons none and keeps no outcome: its deletion may finish. */
    boolean released() {
        return tracked.stream().noneMatch(t -> t.held) && !writes.cordonsLeft() && !writes.outcomesLeft();
    }
}
