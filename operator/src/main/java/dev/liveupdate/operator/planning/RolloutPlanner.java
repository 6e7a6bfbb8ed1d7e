package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rollout engine as a pure function: given a plan, the nodes it has to consider (with their LiveUpdateNodes) and
 * the time, it returns the writes to make next and the plan's status. It keeps no state between calls: everything it
 * needs to continue after a restart is in the objects it reads (instructions, ledgers, outcomes, cordon marks).
 *
 * <p>Work per call is linear in the number of nodes, plus a sort of the pending nodes when a wave starts.
 */
public final class RolloutPlanner {
    /** Blocker look-ups per pass, so thousands of blocked nodes cost bounded API calls. */
    public static final int MAX_BLOCKER_CHECKS = 100;
    /** Outcome annotations dropped per pass while a plan is being deleted. */
    public static final int MAX_FORGETS_PER_PASS = 200;
    static final Duration BLOCKER_RECHECK = Duration.ofSeconds(30);

    /** The plan being evaluated. {@code previous} is its last written status (for times and transitions). */
    public record Plan(String name, String uid, long generation, boolean deleting, PlanSettings settings,
            LiveUpdateStatus previous) {
    }

    enum Mode { NORMAL, PAUSED, HALTED, INVALID, CANCELLING, DELETING }

    public Decision plan(Plan plan, List<NodeEntry> entries, Instant now, BlockerCheck blockers) {
        return new Pass(plan, entries, now, blockers).run();
    }

    /** One evaluation; holds the working state so the steps read as a sequence. */
    private static final class Pass {
        final Plan plan;
        final PlanSettings s;
        final String uid;
        final Instant now;
        final BlockerCheck blockers;
        final List<Tracked> tracked = new ArrayList<>();
        final List<NodeAction> actions = new ArrayList<>();
        final List<PlanEvent> events = new ArrayList<>();
        final List<Duration> waveDurations = new ArrayList<>();
        final Set<Integer> brokenWaves = new HashSet<>();
        final Map<String, Set<String>> conflicts = new HashMap<>();
        Mode mode;
        Instant wakeUp;
        int forgets;
        int blockerChecks;
        boolean cordonsLeft;
        boolean outcomesLeft;
        boolean windowShut;
        String waitingFor;
        /** The end of the soak the next wave waits for, when that is what it waits for. */
        Instant soakUntil;

        Pass(Plan plan, List<NodeEntry> entries, Instant now, BlockerCheck blockers) {
            this.plan = plan;
            this.s = plan.settings();
            this.uid = plan.uid();
            this.now = now;
            this.blockers = blockers == null ? BlockerCheck.NONE : blockers;
            for (NodeEntry e : entries) {
                tracked.add(new Tracked(e, e.lun() != null && e.lun().heldBy(uid)));
            }
            mode = plan.deleting() ? Mode.DELETING
                    : s.cancel() ? Mode.CANCELLING
                    : !s.valid() ? Mode.INVALID
                    : s.paused() ? Mode.PAUSED : Mode.NORMAL;
        }

        Decision run() {
            tracked.forEach(this::readLedger);
            findBrokenWaves();
            for (Tracked t : tracked) {
                if (t.held) {
                    handleHeld(t);
                } else {
                    handleFree(t);
                }
            }
            int failures = count(NodeBucket.FAILED);
            if (mode == Mode.NORMAL && failures > s.maxFailures()) {
                mode = Mode.HALTED;
            }
            Budgeting budget = new Budgeting();
            admitReboots(budget);
            uncordonWaitingNodes();
            startWave(budget);
            LiveUpdateStatus status = new StatusAggregator(plan, tracked, mode, now, conflicts, waitingFor, soakUntil, budget.max)
                    .aggregate(events);
            boolean released = tracked.stream().noneMatch(t -> t.held) && !cordonsLeft && !outcomesLeft;
            Duration requeue = wakeUp == null ? null
                    : Duration.between(now, wakeUp).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                    : Duration.between(now, wakeUp);
            return new Decision(List.copyOf(actions), status, List.copyOf(events), requeue,
                    List.copyOf(waveDurations), released);
        }

        // ---- reading -------------------------------------------------------------------------------------------

        private void readLedger(Tracked t) {
            if (!t.held) {
                return;
            }
            LunView lun = t.lun();
            Ledger l = lun.ledger();
            if (l == null || !uid.equals(l.planUid())) {
                // Someone removed our notes: start the clocks again rather than guess (timeouts get longer, never
                // shorter) and write them back.
                l = new Ledger(uid, 0, now, now, null, null, null, null);
            }
            t.ledger = l;
            t.wave = l.wave();
            t.failure = l.failure();
            AgentReport a = lun.agent();
            if (a != null && uid.equals(a.planUid()) && lun.agentCaughtUp()) {
                t.agentPhase = a.phase();
            }
        }

        /** Waves whose barrier broke: a node of the wave failed before any reboot (target reboots nodes). */
        private void findBrokenWaves() {
            if (!s.barrier() || !s.rebootsNodes()) {
                return;
            }
            for (Tracked t : tracked) {
                if (!t.held || t.node() == null) {
                    continue;
                }
                boolean failing = t.failure != null ? !t.failure.rebooted()
                        : t.lun().step() == NodeStep.Prepared && prepareFailure(t) != null;
                if (failing) {
                    brokenWaves.add(t.wave);
                }
            }
        }

        // ---- nodes this plan holds ----------------------------------------------------------------------------

        private void handleHeld(Tracked t) {
            LunView lun = t.lun();
            if (t.node() == null) {
                // The Node is gone; its LiveUpdateNode follows by garbage collection. Dropped from the plan.
                release(t, null, PlanEvent.warning("NodeDeleted", "node " + t.name()
                        + " was deleted while at step " + lun.step() + "; dropped from the plan"));
                t.bucket = null;
                return;
            }
            if (lun.ledger() == null || !uid.equals(lun.ledger().planUid())) {
                actions.add(new NodeAction.UpdateLedger(t.name(), lun.resourceVersion(), t.ledger, null));
                t.lunWritten = true;
            }
            boolean windDown = mode == Mode.CANCELLING || mode == Mode.DELETING || !t.entry.selected();
            switch (lun.step()) {
                case Prepared -> heldPrepared(t, windDown);
                case Rebooted -> heldRebooted(t, windDown);
                case Finished -> heldFinished(t, windDown);
                case Cancelled -> heldCancelled(t, windDown);
            }
        }

        private Failure prepareFailure(Tracked t) {
            if (t.agentPhase == NodePhase.Failed) {
                AgentReport a = t.lun().agent();
                return new Failure(orElse(a.reason(), Reasons.PREPARE_FAILED),
                        orElse(a.message(), "the agent reported Failed while preparing"), now, false);
            }
            if (t.agentPhase != NodePhase.Prepared && expired(t, s.prepareTimeout())) {
                return new Failure(Reasons.PREPARE_TIMEOUT, "the agent did not report Prepared within "
                        + human(s.prepareTimeout()) + " (last phase: " + phaseOf(t) + ")", now, false);
            }
            return null;
        }

        private void heldPrepared(Tracked t, boolean windDown) {
            Failure f = t.failure != null ? t.failure : prepareFailure(t);
            if (f == null && rebootedBefore(t)) {
                // Defensive (invariant 6): the agent says this node already went through a reboot for this plan.
                f = new Failure(Reasons.REBOOTED_BEFORE, "the agent reports an earlier reboot for this plan;"
                        + " it is not asked to reboot again", now, false);
            }
            if (f != null) {
                heldPrepareFailure(t, f, windDown);
                return;
            }
            String cancelReason = mode == Mode.DELETING ? Reasons.CANCEL_DELETED
                    : mode == Mode.CANCELLING ? Reasons.CANCEL_PLAN
                    : !t.entry.selected() ? Reasons.CANCEL_LEFT_SELECTOR
                    : brokenWaves.contains(t.wave) ? Reasons.CANCEL_BARRIER : null;
            if (windDown || cancelReason != null) {
                t.bucket = NodeBucket.CANCELLED;
                uncordonIfOurs(t);
                issue(t, NodeStep.Cancelled, t.ledger.withCancelReason(cancelReason).withStep(now), null);
                return;
            }
            if (t.agentPhase == NodePhase.Prepared) {
                t.bucket = NodeBucket.PREPARED;
                if (!s.rebootsNodes()) {
                    settleAtTarget(t);
                    uncordonIfOurs(t);
                } else {
                    t.rebootCandidate = true;
                }
                return;
            }
            t.bucket = NodeBucket.PREPARING;
            uncordonIfOurs(t);
            wakeAt(t.ledger.stepSince().plus(s.prepareTimeout()));
        }

        /**
         * A node that failed before its reboot is held, like any failed node, so its LiveUpdateNode keeps showing the
         * agent's failure until the plan is cancelled or deleted. When the agent itself reported Failed only the
         * ledger is written; when it is still busy (timeout) it is told Cancelled so it stops and releases.
         */
        private void heldPrepareFailure(Tracked t, Failure f, boolean windDown) {
            boolean recorded = t.failure != null;
            t.failure = f;
            t.bucket = NodeBucket.FAILED;
            t.settled = true;
            t.done = true;
            t.settledAt = f.at();
            uncordonIfOurs(t);
            if (windDown) {
                release(t, new Outcome(UpdateResult.Failed, f.reason(), f.message(), t.wave, t.ledger.startedAt(),
                        f.at(), false), null);
                return;
            }
            if (recorded) {
                return;
            }
            PlanEvent ev = PlanEvent.warning("NodeFailed", "node " + t.name() + " failed to prepare: " + f.reason()
                    + ": " + f.message());
            if (t.agentPhase == NodePhase.Failed) {
                updateLedger(t, t.ledger.withFailure(f), ev);
            } else {
                issue(t, NodeStep.Cancelled, t.ledger.withFailure(f).withCancelReason(Reasons.CANCEL_FAILED_NODE)
                        .withStep(now), ev);
            }
        }

        private boolean rebootedBefore(Tracked t) {
            AgentReport a = t.lun().agent();
            return a != null && uid.equals(a.planUid()) && a.phase() != null && afterReboot(a.phase());
        }

        private static boolean afterReboot(NodePhase p) {
            return p == NodePhase.Rebooting || p == NodePhase.Restoring || p == NodePhase.Updated
                    || p == NodePhase.Finished;
        }

        private void heldRebooted(Tracked t, boolean windDown) {
            t.disruptive = true;
            if (t.failure != null) {
                heldFailed(t, windDown);
                return;
            }
            NodeView n = t.node();
            AgentReport a = t.lun().agent();
            boolean agentUpdated = t.agentPhase == NodePhase.Updated || t.agentPhase == NodePhase.Finished;
            boolean bootChanged = t.ledger.bootBefore() != null && n.bootID() != null
                    && !n.bootID().equals(t.ledger.bootBefore());
            boolean releaseOk = s.kernelRelease() != null && s.kernelRelease().equals(n.kernelRelease());
            if (t.agentPhase == NodePhase.Failed) {
                fail(t, new Failure(orElse(a.reason(), Reasons.UPDATE_FAILED),
                        orElse(a.message(), "the agent reported Failed after the reboot instruction"), now, true));
                return;
            }
            if (agentUpdated && bootChanged && n.ready() && !releaseOk) {
                fail(t, new Failure(Reasons.KERNEL_MISMATCH, "node booted " + n.kernelRelease() + ", expected "
                        + s.kernelRelease(), now, true));
                return;
            }
            if (agentUpdated && bootChanged && n.ready()) {
                // Verified (step 6): Ready, new boot, planned release.
                t.disruptive = false;
                t.bucket = NodeBucket.UPDATED;
                boolean finish = windDown || s.target() == TargetPhase.Finished;
                if (finish) {
                    if (mayTakeStep() || windDown) {
                        issue(t, NodeStep.Finished, t.ledger.withStep(now), null);
                    }
                } else {
                    settleAtTarget(t);
                    uncordonIfOurs(t);
                }
                return;
            }
            if (expired(t, s.rebootTimeout())) {
                String why = !n.ready() ? "node is not Ready"
                        : !bootChanged ? "boot ID did not change"
                        : !agentUpdated ? "agent phase is " + phaseOf(t)
                        : "node runs " + n.kernelRelease();
                fail(t, new Failure(Reasons.REBOOT_TIMEOUT, "not verified in the new kernel within "
                        + human(s.rebootTimeout()) + ": " + why, now, true));
                return;
            }
            t.bucket = NodeBucket.REBOOTING;
            wakeAt(t.ledger.stepSince().plus(s.rebootTimeout()));
        }

        private void heldFinished(Tracked t, boolean windDown) {
            if (t.failure != null) {
                heldFailed(t, windDown);
                return;
            }
            AgentReport a = t.lun().agent();
            if (t.agentPhase == NodePhase.Finished) {
                t.bucket = NodeBucket.FINISHED;
                t.reachedTarget = true;
                t.done = true;
                t.settled = true;
                t.settledAt = now;
                uncordonIfOurs(t);
                release(t, new Outcome(UpdateResult.Finished, null, null, t.wave, t.ledger.startedAt(), now, true),
                        null);
                return;
            }
            if (t.agentPhase == NodePhase.Failed) {
                fail(t, new Failure(orElse(a.reason(), Reasons.FINISH_FAILED),
                        orElse(a.message(), "the agent reported Failed while finishing"), now, true));
                return;
            }
            if (expired(t, s.finishTimeout())) {
                fail(t, new Failure(Reasons.FINISH_TIMEOUT, "the agent did not report Finished within "
                        + human(s.finishTimeout()) + " (last phase: " + phaseOf(t) + ")", now, true));
                return;
            }
            t.bucket = NodeBucket.UPDATED;
            wakeAt(t.ledger.stepSince().plus(s.finishTimeout()));
        }

        /** A node that failed after it was asked to reboot: held (and left cordoned) until the plan winds down. */
        private void heldFailed(Tracked t, boolean windDown) {
            t.bucket = NodeBucket.FAILED;
            t.disruptive = false;
            t.settled = true;
            t.done = true;
            t.settledAt = t.failure.at();
            if (windDown) {
                uncordonIfOurs(t);
                release(t, new Outcome(UpdateResult.Failed, t.failure.reason(), t.failure.message(), t.wave,
                        t.ledger.startedAt(), t.failure.at(), t.failure.rebooted()), null);
            }
        }

        private void heldCancelled(Tracked t, boolean windDown) {
            if (t.failure != null) {
                heldPrepareFailure(t, t.failure, windDown);
                return;
            }
            t.bucket = NodeBucket.CANCELLED;
            AgentReport a = t.lun().agent();
            boolean caughtUp = t.lun().agentCaughtUp();
            boolean ack = t.agentPhase == NodePhase.Cancelled || t.agentPhase == NodePhase.Failed
                    || t.agentPhase == NodePhase.Idle || caughtUp && a.planUid() == null;
            boolean timedOut = expired(t, s.finishTimeout());
            if (!ack && !timedOut) {
                wakeAt(t.ledger.stepSince().plus(s.finishTimeout()));
                return;
            }
            Failure f = null;
            if (t.agentPhase == NodePhase.Failed) {
                f = new Failure(orElse(a.reason(), Reasons.CANCEL_FAILED),
                        orElse(a.message(), "the agent reported Failed while cancelling"), now, false);
            }
            PlanEvent ev = ack ? null : PlanEvent.warning("CancelNotAcknowledged", "node " + t.name()
                    + " did not acknowledge Cancelled within " + human(s.finishTimeout()) + "; released anyway");
            Outcome o = f != null
                    ? new Outcome(UpdateResult.Failed, f.reason(), f.message(), t.wave, t.ledger.startedAt(), f.at(), false)
                    : Reasons.CANCEL_PLAN.equals(t.ledger.cancelReason())
                            ? new Outcome(UpdateResult.Cancelled, Reasons.CANCEL_PLAN, null, t.wave,
                                    t.ledger.startedAt(), now, false)
                            : null; // cancelled for a reason that is not the node's: it may start again later
            if (f != null) {
                t.bucket = NodeBucket.FAILED;
                t.failure = f;
                t.settled = true;
                t.done = true;
                t.settledAt = f.at();
            } else if (o != null) {
                t.settled = true;
                t.done = true;
                t.settledAt = now;
            }
            uncordonIfOurs(t);
            release(t, o, ev);
        }

        private void fail(Tracked t, Failure f) {
            t.failure = f;
            t.bucket = NodeBucket.FAILED;
            t.disruptive = false;
            t.settled = true;
            t.done = true;
            t.settledAt = f.at();
            updateLedger(t, t.ledger.withFailure(f), PlanEvent.warning("NodeFailed",
                    "node " + t.name() + " failed: " + f.reason() + ": " + f.message()));
        }

        private void settleAtTarget(Tracked t) {
            t.settled = true;
            t.done = true;
            t.reachedTarget = true;
            if (t.ledger.settledAt() == null) {
                t.settledAt = now;
                updateLedger(t, t.ledger.withSettledAt(now), null);
            } else {
                t.settledAt = t.ledger.settledAt();
            }
        }

        // ---- nodes this plan does not hold --------------------------------------------------------------------

        private void handleFree(Tracked t) {
            NodeView n = t.node();
            LunView lun = t.lun();
            if (n != null && n.cordonedBy(uid)) {
                uncordon(t); // a cordon mark without an instruction: left over from an interrupted release
            }
            Outcome o = lun == null ? null : lun.outcome(uid);
            if (o != null && mode == Mode.DELETING) {
                if (forgets < MAX_FORGETS_PER_PASS) {
                    forgets++;
                    actions.add(new NodeAction.ForgetOutcome(t.name(), lun.resourceVersion()));
                    t.lunWritten = true;
                }
                outcomesLeft = true;
            }
            if (n == null || !t.entry.selected()) {
                t.bucket = null; // not counted: gone or no longer selected
                return;
            }
            if (o != null) {
                t.wave = o.wave();
                t.settled = true;
                t.done = true;
                t.settledAt = o.at();
                switch (o.result()) {
                    case Finished -> {
                        t.bucket = NodeBucket.FINISHED;
                        t.reachedTarget = true;
                    }
                    case Failed -> {
                        t.bucket = NodeBucket.FAILED;
                        t.failure = new Failure(o.reason(), o.message(), o.at(), o.rebooted());
                    }
                    case Cancelled -> t.bucket = NodeBucket.CANCELLED;
                }
                return;
            }
            if (lun == null) {
                skip(t, Reasons.NO_AGENT + ": no LiveUpdateNode (is the agent running on it?)");
                return;
            }
            if (!lun.free()) {
                t.bucket = NodeBucket.BLOCKED;
                t.holder = orElse(lun.instructionPlanName(), lun.instructionPlan());
                t.note = Reasons.HELD_BY_OTHER_PLAN;
                conflicts.computeIfAbsent(t.holder, k -> new java.util.TreeSet<>()).add(t.name());
                return;
            }
            AgentReport a = lun.agent();
            if (a != null && uid.equals(a.lastUpdatePlanUid()) && a.lastUpdateResult() != UpdateResult.Cancelled) {
                // Defensive (invariant 6): the agent remembers an update by this plan but our outcome is missing.
                t.done = true;
                skip(t, Reasons.HANDLED_BEFORE + ": the agent reports an earlier update by this plan");
                return;
            }
            if (a == null || !Boolean.TRUE.equals(a.capable())) {
                skip(t, Reasons.NOT_CAPABLE + ": " + (a == null ? "agent has not reported its inventory"
                        : orElse(a.incapableReason(), "the agent reports no live-update capability")));
                return;
            }
            if (s.kernelRelease() != null && s.kernelRelease().equals(n.kernelRelease())) {
                t.bucket = NodeBucket.FINISHED;
                t.note = Reasons.ALREADY_AT_TARGET;
                t.done = true;
                t.reachedTarget = true;
                return;
            }
            if (a.planUid() != null) {
                // The agent still reports on an instruction that was cleared; starting now could meet its sticky
                // Cancelled/Failed state for that plan. Wait until it reports Idle.
                block(t, Reasons.AGENT_BUSY + ": agent still reports " + a.phase() + " for an earlier instruction");
                return;
            }
            if (!n.ready()) {
                block(t, Reasons.NODE_NOT_READY);
                return;
            }
            if (n.unschedulable() && !n.cordonedBy(uid)) {
                block(t, Reasons.NODE_CORDONED);
                return;
            }
            t.bucket = NodeBucket.PENDING;
        }

        private void skip(Tracked t, String note) {
            t.bucket = NodeBucket.SKIPPED;
            t.note = note;
            t.done = true;
        }

        private void block(Tracked t, String note) {
            t.bucket = NodeBucket.BLOCKED;
            t.note = note;
        }

        // ---- waves, budget and reboots ------------------------------------------------------------------------

        /** Unavailable selected (or held) nodes, counted once each; grows as this pass admits nodes. */
        private final class Budgeting {
            final int max;
            int unavailable;

            Budgeting() {
                int selected = 0;
                for (Tracked t : tracked) {
                    if (t.node() != null && t.entry.selected()) {
                        selected++;
                    }
                    if (t.node() != null && (t.entry.selected() || t.held)
                            && (t.node().unavailable() || t.node().cordonedBy(uid) || t.disruptive)) {
                        unavailable++;
                    }
                }
                max = Budget.maxUnavailable(s.maxUnavailable(), selected);
            }

            /** @param alreadyCounted the node is already among the unavailable (we cordoned it) */
            boolean admit(boolean alreadyCounted) {
                int others = alreadyCounted ? unavailable - 1 : unavailable;
                if (others + 1 > max) {
                    return false;
                }
                if (!alreadyCounted) {
                    unavailable++;
                }
                return true;
            }
        }

        private boolean mayTakeStep() {
            return mode == Mode.NORMAL;
        }

        private boolean windowOpen() {
            if (s.window() == null || s.window().isOpen(now)) {
                return true;
            }
            s.window().nextOpening(now).ifPresent(this::wakeAt);
            return false;
        }

        /** Lowest wave that still has work for the current target. */
        private Optional<Integer> activeWave() {
            int min = Integer.MAX_VALUE;
            for (Tracked t : tracked) {
                if (t.held && !t.settled && t.bucket != null) {
                    min = Math.min(min, t.wave);
                }
            }
            return min == Integer.MAX_VALUE ? Optional.empty() : Optional.of(min);
        }

        /** When the waves below {@code wave} last settled (null when nothing is known). */
        private Instant settledBefore(int wave) {
            Instant last = null;
            for (Tracked t : tracked) {
                if (t.wave > 0 && t.wave < wave && t.settledAt != null && (last == null || t.settledAt.isAfter(last))) {
                    last = t.settledAt;
                }
            }
            return last;
        }

        private boolean soaked(int wave) {
            Instant last = settledBefore(wave);
            if (last == null || s.soak().isZero()) {
                return true;
            }
            Instant end = last.plus(s.soak());
            if (now.isBefore(end)) {
                wakeAt(end);
                waitingFor = "soaking until " + end;
                soakUntil = end;
                return false;
            }
            return true;
        }

        private void admitReboots(Budgeting budget) {
            if (!mayTakeStep() || !s.rebootsNodes()) {
                return;
            }
            Optional<Integer> active = activeWave();
            if (active.isEmpty()) {
                return;
            }
            int wave = active.get();
            List<Tracked> candidates = new ArrayList<>();
            boolean barrierHolds = true;
            for (Tracked t : tracked) {
                if (t.held && t.wave == wave && t.bucket != null) {
                    if (t.rebootCandidate) {
                        candidates.add(t);
                    } else if (t.bucket == NodeBucket.PREPARING || t.bucket == NodeBucket.CANCELLED) {
                        barrierHolds = false;
                    }
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            if (s.barrier() && !barrierHolds) {
                waitingFor = "barrier: wave " + wave + " is not fully prepared";
                return;
            }
            if (!windowOpen()) {
                waitingFor = "maintenance window " + s.window();
                windowShut = true;
                return;
            }
            if (!soaked(wave)) {
                return;
            }
            candidates.sort(RolloutOrder.BY_NAME);
            for (Tracked t : candidates) {
                NodeView n = t.node();
                if (t.lunWritten || t.nodeWritten) {
                    continue;
                }
                if (!n.ready() || n.unschedulable() && !n.cordonedBy(uid)) {
                    waitingFor = "node " + t.name() + " is " + (n.ready() ? "cordoned by someone else" : "not Ready");
                    continue;
                }
                if (n.bootID() == null) {
                    waitingFor = "node " + t.name() + " reports no boot ID";
                    continue;
                }
                t.rebootCandidate = false; // admitted or waiting for budget: either way not uncordoned below
                // A node we cordoned already counts as unavailable; the reboot itself is checked again because
                // other nodes may have become unavailable since the cordon.
                boolean counted = n.cordonedBy(uid);
                if (!budget.admit(counted)) {
                    waitingFor = "unavailability budget: " + budget.unavailable + "/" + budget.max + " unavailable";
                    continue;
                }
                if (s.cordon() && !n.cordonedBy(uid)) {
                    actions.add(new NodeAction.Cordon(t.name(), n.resourceVersion()));
                    t.nodeWritten = true;
                    continue; // ask for the reboot once the cordon is seen
                }
                t.disruptive = true;
                t.bucket = NodeBucket.REBOOTING;
                issue(t, NodeStep.Rebooted, t.ledger.withStep(now).withBootBefore(n.bootID()), null);
            }
        }

        /** A node we cordoned for a reboot that may not happen now (paused, halted, window shut) is uncordoned. */
        private void uncordonWaitingNodes() {
            for (Tracked t : tracked) {
                if (t.rebootCandidate && t.node() != null && t.node().cordonedBy(uid)
                        && (mode != Mode.NORMAL || windowShut)) {
                    uncordonIfOurs(t);
                }
            }
        }

        private void startWave(Budgeting budget) {
            if (!mayTakeStep() || activeWave().isPresent()) {
                return;
            }
            List<Tracked> pending = new ArrayList<>();
            int maxWave = 0;
            for (Tracked t : tracked) {
                maxWave = Math.max(maxWave, t.wave);
                if (t.bucket == NodeBucket.PENDING && !t.lunWritten) {
                    pending.add(t);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            int wave = maxWave + 1;
            if (!windowOpen()) {
                waitingFor = "maintenance window " + s.window();
                return;
            }
            if (!soaked(wave)) {
                return;
            }
            int size = wave == 1 && s.canaryNodes() > 0 ? s.canaryNodes() : budget.max;
            int started = 0;
            for (Tracked t : inRolloutOrder(pending)) {
                if (started >= size) {
                    break;
                }
                if (s.hasBlockers()) {
                    if (blockerChecks >= MAX_BLOCKER_CHECKS) {
                        wakeAt(now.plus(BLOCKER_RECHECK));
                        break;
                    }
                    blockerChecks++;
                    Optional<String> pod = blockers.blockingPod(t.name());
                    if (pod.isPresent()) {
                        block(t, Reasons.BLOCKER_POD + ": " + pod.get());
                        wakeAt(now.plus(BLOCKER_RECHECK));
                        continue;
                    }
                }
                t.wave = wave;
                t.bucket = NodeBucket.PREPARING;
                issue(t, NodeStep.Prepared, new Ledger(uid, wave, now, now, null, null, null, null), null);
                started++;
            }
            if (started > 0) {
                Duration last = waveDuration(maxWave);
                if (last != null) {
                    waveDurations.add(last);
                }
                events.add(PlanEvent.normal("WaveStarted", "wave " + wave + (wave == 1 && s.canaryNodes() > 0
                        ? " (canary)" : "") + " started with " + started + " node(s)"));
                wakeAt(now.plus(s.prepareTimeout()));
            }
        }

        private Duration waveDuration(int wave) {
            Instant start = null;
            Instant end = null;
            for (Tracked t : tracked) {
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

        private List<Tracked> inRolloutOrder(List<Tracked> pending) {
            // The only super-linear step of a pass, and it runs only when a wave starts.
            List<Tracked> out = new ArrayList<>(pending);
            out.sort(RolloutOrder.BY_NAME);
            return out;
        }

        // ---- writes -------------------------------------------------------------------------------------------

        private void issue(Tracked t, NodeStep step, Ledger ledger, PlanEvent event) {
            replaceLunWrite(t);
            actions.add(new NodeAction.IssueStep(t.name(), t.lun().resourceVersion(), step, ledger, event));
            t.lunWritten = true;
            if (step == NodeStep.Cancelled) {
                wakeAt(now.plus(s.finishTimeout()));
            }
        }

        private void updateLedger(Tracked t, Ledger ledger, PlanEvent event) {
            replaceLunWrite(t);
            actions.add(new NodeAction.UpdateLedger(t.name(), t.lun().resourceVersion(), ledger, event));
            t.lunWritten = true;
        }

        private void release(Tracked t, Outcome outcome, PlanEvent event) {
            replaceLunWrite(t);
            Long blackout = outcome != null && outcome.result() == UpdateResult.Finished && t.lun().agent() != null
                    ? t.lun().agent().blackoutMillis() : null;
            actions.add(new NodeAction.Release(t.name(), t.lun().resourceVersion(), outcome, blackout, event));
            t.lunWritten = true;
        }

        /** One LiveUpdateNode write per node per pass: a later decision replaces the ledger-repair write. */
        private void replaceLunWrite(Tracked t) {
            if (t.lunWritten) {
                actions.removeIf(a -> a.node().equals(t.name()) && a instanceof NodeAction.UpdateLedger);
            }
        }

        private void uncordonIfOurs(Tracked t) {
            if (t.node() != null && t.node().cordonedBy(uid)) {
                uncordon(t);
            }
        }

        private void uncordon(Tracked t) {
            if (t.nodeWritten) {
                return;
            }
            // Uncordon goes first: if it fails the node's LiveUpdateNode write in this pass is skipped.
            actions.add(0, new NodeAction.Uncordon(t.name(), t.node().resourceVersion()));
            t.nodeWritten = true;
            cordonsLeft = true;
        }

        // ---- small helpers ------------------------------------------------------------------------------------

        private boolean expired(Tracked t, Duration timeout) {
            return t.ledger.stepSince() != null && !now.isBefore(t.ledger.stepSince().plus(timeout));
        }

        private void wakeAt(Instant at) {
            if (at != null && (wakeUp == null || at.isBefore(wakeUp))) {
                wakeUp = at;
            }
        }

        private int count(NodeBucket b) {
            int n = 0;
            for (Tracked t : tracked) {
                if (t.bucket == b) {
                    n++;
                }
            }
            return n;
        }

        private String phaseOf(Tracked t) {
            AgentReport a = t.lun().agent();
            if (a == null || a.phase() == null) {
                return "none reported";
            }
            return uid.equals(a.planUid()) ? a.phase().name() : a.phase() + " (for another or no plan)";
        }

        private static String orElse(String v, String fallback) {
            return v == null || v.isBlank() ? fallback : v;
        }

        static String human(Duration d) {
            return d.toString().substring(2).toLowerCase();
        }
    }
}
