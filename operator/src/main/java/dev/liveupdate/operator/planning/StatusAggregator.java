package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodeCounts;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The single writer of a plan's status: phase, counts, progress, wave, conditions, bounded failure list, times and
 * message, all derived from one pass over the nodes.
 */
final class StatusAggregator {
    static final int MAX_FAILED_LISTED = 20;
    static final int MAX_CONFLICTS_NAMED = 5;

    private final RolloutPlanner.Plan plan;
    private final List<Tracked> tracked;
    private final PlanMode mode;
    private final Instant now;
    private final Map<String, Set<String>> conflicts;
    private final String waitingFor;
    /** Why the rollout cannot move without a person (a Stalled reason), or null. */
    private final String stalledOn;
    private final Instant soakUntil;
    private final int maxUnavailable;
    private final BlackoutBudgetRule.Verdict blackout;
    private final Preflight.Verdict preflight;

    StatusAggregator(RolloutPlanner.Plan plan, List<Tracked> tracked, PlanMode mode, Instant now,
            Map<String, Set<String>> conflicts, String waitingFor, String stalledOn, Instant soakUntil,
            int maxUnavailable, BlackoutBudgetRule.Verdict blackout, Preflight.Verdict preflight) {
        this.plan = plan;
        this.tracked = tracked;
        this.mode = mode;
        this.now = now;
        this.conflicts = conflicts;
        this.waitingFor = waitingFor;
        this.stalledOn = stalledOn;
        this.soakUntil = soakUntil;
        this.maxUnavailable = maxUnavailable;
        this.blackout = blackout;
        this.preflight = preflight;
    }

    LiveUpdateStatus aggregate(List<PlanEvent> events) {
        LiveUpdateStatus prev = plan.previous() == null ? new LiveUpdateStatus() : plan.previous();
        Map<NodeBucket, Integer> counts = new EnumMap<>(NodeBucket.class);
        int total = 0;
        int reached = 0;
        boolean allDone = true;
        boolean anyStarted = false;
        boolean anyHeld = false;
        int maxWave = 0;
        int activeWave = Integer.MAX_VALUE;
        Instant firstStart = null;
        List<Tracked> failed = new ArrayList<>();
        for (Tracked t : tracked) {
            if (t.held || t.wave > 0) {
                anyStarted = true;
            }
            anyHeld |= t.held;
            maxWave = Math.max(maxWave, t.wave);
            if (t.held && !t.settled && t.bucket != null) {
                activeWave = Math.min(activeWave, t.wave);
            }
            if (t.ledger != null && t.ledger.startedAt() != null
                    && (firstStart == null || t.ledger.startedAt().isBefore(firstStart))) {
                firstStart = t.ledger.startedAt();
            }
            if (t.bucket == null) {
                continue;
            }
            total++;
            counts.merge(t.bucket, 1, Integer::sum);
            if (t.reachedTarget) {
                reached++;
            }
            if (!t.done) {
                allDone = false;
            }
            if (t.bucket == NodeBucket.FAILED) {
                failed.add(t);
            }
        }
        int skipped = counts.getOrDefault(NodeBucket.SKIPPED, 0);
        int capable = total - skipped;
        int failures = failed.size();

        PlanPhase phase;
        String reason;
        // A plan with nothing to act on (no node selected, none capable) waits, and says so.
        boolean nothingToDo = false;
        if (mode == PlanMode.INVALID) {
            phase = PlanPhase.Failed;
            reason = "InvalidSpec";
        } else if (mode == PlanMode.CANCELLING || mode == PlanMode.DELETING) {
            phase = PlanPhase.Cancelled;
            reason = anyHeld ? "Cancelling" : "Cancelled";
        } else if (capable == 0) {
            phase = PlanPhase.Pending;
            reason = total == 0 ? "NoNodesSelected" : "NoCapableNodes";
            nothingToDo = true;
        } else if (allDone) {
            phase = failures > 0 ? PlanPhase.Failed : PlanPhase.Succeeded;
            reason = failures > 0 ? "CompletedWithFailures" : "TargetReached";
        } else if (mode == PlanMode.PAUSED) {
            phase = PlanPhase.Paused;
            reason = "Paused";
        } else if (mode == PlanMode.HALTED) {
            phase = PlanPhase.Halted;
            reason = failures > plan.settings().maxFailures() ? "TooManyFailures" : Reasons.BLACKOUT_BUDGET_EXCEEDED;
        } else if (!anyStarted) {
            phase = PlanPhase.Pending;
            reason = waitingFor != null ? "Waiting" : "NotStarted";
        } else {
            phase = PlanPhase.Progressing;
            reason = stalledOn != null ? stalledOn : waitingFor != null ? "Waiting" : "WaveInProgress";
        }
        boolean needsPerson = stalledOn != null && phase == PlanPhase.Progressing;
        boolean terminal = phase == PlanPhase.Succeeded
                || phase == PlanPhase.Failed && !"InvalidSpec".equals(reason)
                || phase == PlanPhase.Cancelled && !anyHeld;

        LiveUpdateStatus st = new LiveUpdateStatus();
        st.setPhase(phase);
        st.setObservedGeneration(plan.generation());
        st.setNodeCounts(nodeCounts(counts, total));
        st.setProgress(reached + "/" + capable);
        int wave = activeWave != Integer.MAX_VALUE ? activeWave : maxWave;
        st.setCurrentWave(wave > 0 ? wave : null);
        String start = prev.getStartTime() != null ? prev.getStartTime()
                : firstStart != null ? seconds(firstStart) : anyStarted ? seconds(now) : null;
        st.setStartTime(start);
        st.setWaveStartTime(wave > 0 ? waveStart(wave, anyStarted) : null);
        st.setSoakUntil(soakUntil == null || terminal ? null : seconds(soakUntil));
        st.setCompletionTime(terminal ? (prev.getCompletionTime() != null ? prev.getCompletionTime() : seconds(now))
                : null);
        failed.sort(Comparator.comparing((Tracked t) -> t.failure == null || t.failure.at() == null
                ? Instant.EPOCH : t.failure.at()).thenComparing(Tracked::name));
        List<FailedNode> listed = new ArrayList<>();
        for (Tracked t : failed.subList(0, Math.min(MAX_FAILED_LISTED, failed.size()))) {
            listed.add(failedNode(t));
        }
        st.setFailedNodes(listed.isEmpty() ? null : listed);
        st.setFailedNodesOmitted(failed.size() > MAX_FAILED_LISTED ? failed.size() - MAX_FAILED_LISTED : null);
        String message = nothingToDo && total == 0
                ? "no node matches spec.nodeSelector; the plan waits until one does (check the selector and the nodes' labels)"
                : nothingToDo
                ? "none of the " + total + " selected node(s) can be updated by this plan ("
                        + Texts.orElse(skippedByReason(), "see each node's note") + "); the plan waits"
                : message(phase, reached, capable, failures, skipped, counts);
        st.setMessage(message);
        st.setBlackout(BlackoutStatus.of(blackout));
        st.setPreflight(PreflightReport.status(preflight));

        Conditions c = new Conditions(prev.getConditions(), plan.generation(), now);
        c.set("Ready", phase == PlanPhase.Succeeded, reason, message);
        c.set("Progressing", phase == PlanPhase.Progressing || phase == PlanPhase.Pending && anyStarted, reason,
                waitingFor);
        c.set("Degraded", failures > 0, failures > 0 ? "NodesFailed" : "NoFailures",
                failures > 0 ? failures + " node(s) failed (maxFailures " + plan.settings().maxFailures() + ")" : null);
        c.set("SpecValid", plan.settings().valid(), plan.settings().valid() ? "Valid" : "InvalidSpec",
                String.join("; ", plan.settings().problems()));
        // kstatus' standard pair (Flux health checks, cli-utils, `kubectl wait`): Reconciling while the rollout can
        // still move, Stalled when it stopped short of its target and needs a person.
        // Instead of claiming to reconcile for ever, a plan with nothing to act on is stalled: GitOps health checks
        // see it and a pipeline fails fast.
        // A rollout whose budget is held by failed nodes left for a person is stalled too: nothing frees it by itself.
        boolean stalled = phase == PlanPhase.Halted || phase == PlanPhase.Failed || nothingToDo || needsPerson;
        boolean reconciling = !nothingToDo && !needsPerson
                && (phase == PlanPhase.Pending || phase == PlanPhase.Progressing || phase == PlanPhase.Paused);
        c.set("Reconciling", reconciling, phase.name(), reconciling ? orElse(waitingFor, message) : null);
        boolean wasStalled = c.wasTrue("Stalled");
        c.set("Stalled", stalled, needsPerson ? stalledOn : phase.name(), stalled ? message : null);
        String conflictMsg = conflictMessage();
        boolean wasConflict = c.wasTrue("Conflict");
        c.set("Conflict", conflictMsg != null, conflictMsg != null ? "NodesHeldByOtherPlan" : "NoConflict",
                conflictMsg);
        PreflightReport.condition(c, preflight, events);
        st.setConditions(c.build());

        if (conflictMsg != null && !wasConflict) {
            events.add(PlanEvent.warning("Conflict", conflictMsg));
        }
        if (needsPerson && !wasStalled) {
            events.add(PlanEvent.warning(stalledOn, "rollout stalled: " + message));
        }
        if (Reasons.BLACKOUT_BUDGET_EXCEEDED.equals(reason) && !c.wasReason("Ready", reason)) {
            events.add(PlanEvent.warning(reason, "halted before the next wave: " + blackout.exceeded()
                    + "; nodes already rebooting complete"));
        }
        if (prev.getPhase() != phase) {
            boolean bad = phase == PlanPhase.Halted || phase == PlanPhase.Failed;
            events.add(new PlanEvent(bad, phase.name(), "plan is " + phase + ": " + message));
        }
        return st;
    }

    private String conflictMessage() {
        if (conflicts.isEmpty()) {
            return null;
        }
        return conflicts.entrySet().stream().map(e -> {
            List<String> nodes = new ArrayList<>(e.getValue());
            String named = String.join(", ", nodes.subList(0, Math.min(MAX_CONFLICTS_NAMED, nodes.size())));
            int more = nodes.size() - MAX_CONFLICTS_NAMED;
            return "held by LiveUpdate " + e.getKey() + ": " + named + (more > 0 ? " and " + more + " more" : "");
        }).collect(Collectors.joining("; ", "", "; waiting until they are free"));
    }

    /** "NewerKernel: node-3; NotCapable: node-7, node-9 and 2 more": why nodes were left out, first names of each. */
    private String skippedByReason() {
        Map<String, List<String>> byReason = new java.util.TreeMap<>();
        for (Tracked t : tracked) {
            if (t.bucket == NodeBucket.SKIPPED) {
                String reason = t.note == null ? "Skipped" : t.note.split(":", 2)[0];
                byReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(t.name());
            }
        }
        return byReason.entrySet().stream().map(e -> {
            List<String> nodes = e.getValue().stream().sorted().toList();
            String named = String.join(", ", nodes.subList(0, Math.min(MAX_CONFLICTS_NAMED, nodes.size())));
            int more = nodes.size() - MAX_CONFLICTS_NAMED;
            return e.getKey() + ": " + named + (more > 0 ? " and " + more + " more" : "");
        }).collect(Collectors.joining("; "));
    }

    private String message(PlanPhase phase, int reached, int capable, int failures, int skipped,
            Map<NodeBucket, Integer> counts) {
        StringBuilder m = new StringBuilder();
        TargetPhase target = plan.settings().target();
        m.append(reached).append('/').append(capable).append(" nodes at ").append(target);
        if (failures > 0) {
            m.append(", ").append(failures).append(" failed");
        }
        if (skipped > 0) {
            m.append(", ").append(skipped).append(" skipped (").append(skippedByReason()).append(')');
        }
        int blocked = counts.getOrDefault(NodeBucket.BLOCKED, 0);
        if (blocked > 0) {
            String why = tracked.stream().filter(t -> t.bucket == NodeBucket.BLOCKED && t.note != null)
                    .map(t -> t.name() + " (" + t.note + ")").limit(3).collect(Collectors.joining(", "));
            m.append(", ").append(blocked).append(" held back: ").append(why).append(blocked > 3 ? ", ..." : "");
        }
        if (phase == PlanPhase.Halted && failures > plan.settings().maxFailures()) {
            m.append("; halted: more than maxFailures=").append(plan.settings().maxFailures())
                    .append(" failed (raise it to continue, or cancel)");
        } else if (phase == PlanPhase.Halted) {
            m.append("; halted, blackout budget exceeded: ").append(blackout.exceeded())
                    .append(" (raise or remove strategy.blackoutBudget to continue, or cancel)");
        }
        if (!plan.settings().valid()) {
            m.append("; invalid spec: ").append(String.join("; ", plan.settings().problems()));
        }
        if (waitingFor != null && (phase == PlanPhase.Progressing || phase == PlanPhase.Pending)) {
            m.append("; waiting for ").append(waitingFor);
        }
        m.append(" (maxUnavailable ").append(maxUnavailable).append(')');
        return m.toString();
    }

    private FailedNode failedNode(Tracked t) {
        FailedNode f = new FailedNode();
        f.setNode(t.name());
        if (t.failure != null) {
            f.setReason(t.failure.reason());
            f.setMessage(t.failure.message());
            f.setTime(t.failure.at() == null ? null : seconds(t.failure.at()));
            f.setPhase(t.failure.rebooted() ? "Rebooted" : "Prepared");
        }
        return f;
    }

    private static NodeCounts nodeCounts(Map<NodeBucket, Integer> c, int total) {
        NodeCounts n = new NodeCounts();
        n.setTotal(total);
        n.setPending(c.getOrDefault(NodeBucket.PENDING, 0));
        n.setPreparing(c.getOrDefault(NodeBucket.PREPARING, 0));
        n.setPrepared(c.getOrDefault(NodeBucket.PREPARED, 0));
        n.setRebooting(c.getOrDefault(NodeBucket.REBOOTING, 0));
        n.setUpdated(c.getOrDefault(NodeBucket.UPDATED, 0));
        n.setFinished(c.getOrDefault(NodeBucket.FINISHED, 0));
        n.setCancelled(c.getOrDefault(NodeBucket.CANCELLED, 0));
        n.setFailed(c.getOrDefault(NodeBucket.FAILED, 0));
        n.setSkipped(c.getOrDefault(NodeBucket.SKIPPED, 0));
        n.setBlocked(c.getOrDefault(NodeBucket.BLOCKED, 0));
        return n;
    }

    static String seconds(Instant i) {
        return Instant.ofEpochSecond(i.getEpochSecond()).toString();
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** When the first node of this wave started, from the nodes' ledgers. */
    private String waveStart(int wave, boolean anyStarted) {
        Instant first = null;
        for (Tracked t : tracked) {
            if (t.wave == wave && t.ledger != null && t.ledger.startedAt() != null
                    && (first == null || t.ledger.startedAt().isBefore(first))) {
                first = t.ledger.startedAt();
            }
        }
        // Like startTime: the pass that starts the wave writes the ledgers in the same update as this status.
        return first != null ? seconds(first) : anyStarted ? seconds(now) : null;
    }
}
