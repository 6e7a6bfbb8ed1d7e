package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.AbiGeneration;
import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.BootTransition;
import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.Registration;
import dev.liveupdate.api.v1alpha1.SessionState;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.api.v1alpha1.UpdateOutcome;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.client.protocol.Tokens;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node agent's brain, free of Kubernetes and threads: it is fed the node's instruction, the
 * workloads' requests and clock ticks (all on one thread, see {@code EngineLoop}) and drives the
 * kernel through the per-node protocol, reporting through a {@link StatusSink}.
 *
 * <p>Every input ends in {@link #reconcile()}, which takes the node as far as the instruction,
 * the device and the workloads allow, and is safe to repeat. On start, {@link #start} works out
 * from the host disk, the device, the boot ID and the last reported status where a previous agent
 * process left off, so a restart at any point neither repeats a reboot nor pretends that sessions
 * which died with the old process still exist.
 */
public final class StepEngine {
    private static final Logger LOG = Logger.getLogger(StepEngine.class.getName());

    private final EngineSettings settings;
    private final EngineContext ctx;
    private final Kexec kexec;
    private final StatusSink sink;
    private final EventSink events;
    private StatusReporter reporter;
    private NodeInstruction instruction;
    private Long specGeneration;
    private OutgoingRun outgoing;
    private IncomingRun incoming;
    /** Condition type: True while the kernel holds the files of a failed restore (until a person releases them). */
    public static final String HELD_RESTORE = "RestoreHeld";
    /** A person's request to discard a failed restore (a plan uid), from the LiveUpdateNode's annotation. */
    private String discardRequest;
    private String ignoredDiscardRequest;
    private boolean started;
    /** False until the first spec arrives: at start the engine does not yet know whether the node has an instruction. */
    private boolean specKnown;

    public StepEngine(EngineSettings settings, KernelCalls calls, HostInfo host, Kexec kexec, StatusSink sink, EventSink events, Clock clock) {
        this.settings = settings;
        this.ctx = new EngineContext(calls, host, new DeviceKeeper(calls, settings.devicePath(), clock), new LocalState(settings.stateDir()), clock,
                settings::hostPath);
        this.kexec = kexec;
        this.sink = sink;
        this.events = events;
    }

    // ---------------------------------------------------------------- inputs

    /** Opens the device, recovers from whatever a previous agent process left, and reports. */
    public void start(LiveUpdateNodeStatus lastReported) {
        reporter = new StatusReporter(sink, events, ctx.clock, lastReported);
        ctx.device.ensureOpen();
        recover(lastReported);
        if (reporter.status().getPhase() == null) {
            reporter.phase(null, NodePhase.Idle, null, "no plan holds this node");
        }
        started = true;
        reconcile();
    }

    /** The node's LiveUpdateNode spec changed (or was seen for the first time). */
    public void onSpec(LiveUpdateNodeSpec spec, Long generation) {
        instruction = spec == null ? null : spec.getInstruction();
        specGeneration = generation;
        specKnown = true;
        reconcile();
    }

    /**
     * The LiveUpdateNode's discard request changed: the value of {@link LiveUpdateNode#DISCARD_UNRESTORED_ANNOTATION}
     * (a plan uid), or null when the annotation is absent.
     */
    public void onDiscardRequest(String planUid) {
        discardRequest = planUid == null || planUid.isBlank() ? null : planUid.trim();
        if (started) {
            reconcile();
        }
    }

    /** Periodic: timeouts, device retries. */
    public void tick() {
        reconcile();
    }

    /** The device is open or known absent: the agent knows what this node can do. */
    public boolean deviceSettled() {
        return ctx.device.settled();
    }

    public NodePhase phase() {
        return reporter == null ? null : reporter.status().getPhase();
    }

    /** A copy of the current status (for tests and diagnostics). */
    public LiveUpdateNodeStatus status() {
        return StatusReporter.copy(reporter.status());
    }

    // ---------------------------------------------------------------- recovery

    private void recover(LiveUpdateNodeStatus last) {
        Optional<UpdateRecord> local = ctx.local.update();
        Optional<UpdateRecord> found = local.isPresent() ? local : RecordFromStatus.of(last, ctx.bootId);
        if (found.isEmpty()) {
            return;
        }
        UpdateRecord r = found.get();
        PlanReference plan = IncomingRun.planOf(r);
        if (r.rebootIssuedAt() != null && !r.bootIDBefore().equals(ctx.bootId)) {
            RestoreRecord progress = ctx.local.restore()
                    .filter(p -> p.planUid().equals(r.planUid()) && p.bootID().equals(ctx.bootId)).orElse(null);
            incoming = new IncomingRun(ctx, r, progress);
            incoming.retrieveAll();
            LOG.info(() -> "this boot came from the live update of plan " + r.planName() + " (boot " + r.bootIDBefore() + " -> " + ctx.bootId + ")");
            if (incoming.finishIssued()) {
                incoming.phase = NodePhase.Finished;
            }
            return;
        }
        String lostList = r.sessions().isEmpty() ? "" : " Sessions lost: " + describe(r.sessions()) + ".";
        if (r.rebootIssuedAt() != null) {
            failRecovered(plan, r, "RebootNotCompleted", "reboot(KEXEC) was issued at " + r.rebootIssuedAt() + " but the node is still in boot "
                    + ctx.bootId + ": the kexec did not happen and the agent never reboots twice for one plan (invariant 6)." + lostList);
        } else if (!r.sessions().isEmpty()) {
            String why = r.bootIDBefore().equals(ctx.bootId)
                    ? "the agent process that held them ended before the kexec (the kernel destroys a session when its last fd closes)"
                    : "the node rebooted (boot " + r.bootIDBefore() + " -> " + ctx.bootId + ") before the live update was issued";
            failRecovered(plan, r, "SessionsLost", "sessions " + describe(r.sessions()) + " are gone: " + why
                    + ". Workloads must hand their files over again; cancel the plan or let the operator retry.");
        } else {
            LOG.info("a previous agent process prepared plan " + r.planName() + " without sessions; starting that preparation over");
        }
        cleanUpDevice();
        ctx.local.clearUpdate();
    }

    private void failRecovered(PlanReference plan, UpdateRecord r, String reason, String message) {
        reporter.phase(plan, NodePhase.Failed, reason, message);
        List<SessionStatus> sessions = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : r.sessions()) {
            SessionStatus st = new SessionStatus();
            st.setName(s.name());
            st.setRequired(s.required());
            st.setState(SessionState.Lost);
            st.setPreservedTokens(s.tokens().isEmpty() ? null : s.tokens());
            sessions.add(st);
        }
        reporter.status().setSessions(sessions.isEmpty() ? null : sessions);
        outcome(plan, UpdateResult.Failed, reason, r.startedAt());
    }

    /** After a loss: nothing may be handed over any more, so stand the device down (A CANCEL) and unload the kernel. */
    private void cleanUpDevice() {
        LuoDevice device = ctx.device.device();
        if (device != null && device.generation() == Generation.A) {
            try {
                if (device.state() == LuoState.PREPARED) {
                    device.cancel();
                }
            } catch (ErrnoException e) {
                LOG.log(Level.WARNING, "CANCEL after a restart failed", e);
            }
        }
        OutgoingRun.unloadKernel(ctx);
    }

    private static String describe(List<UpdateRecord.SessionRecord> sessions) {
        List<String> parts = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : sessions) {
            parts.add(s.name() + (s.tokens().isEmpty() ? "" : " (tokens " + String.join(",", s.tokens().stream().map(Long::toUnsignedString).toList()) + ")"));
        }
        return String.join(", ", parts);
    }

    // ---------------------------------------------------------------- the step logic

    /** Takes the node as far as it can go now. */
    public void reconcile() {
        if (!started) {
            return;
        }
        ctx.device.ensureOpen();
        if (incoming != null) {
            incoming.evaluate();
            discardIfRequested();
        }
        NodeInstruction i = instruction;
        if (i == null && !specKnown) {
            if (incoming != null) {
                reportIncoming(incoming.plan);
            }
        } else if (i == null) {
            onNoInstruction();
        } else if (incoming != null && incoming.plan.getUid().equals(i.getPlan().getUid())) {
            onIncoming(i);
        } else {
            switch (i.getStep()) {
                case Prepared -> prepare(i, false);
                case Rebooted -> prepare(i, true);
                case Cancelled -> cancel(i);
                case Finished -> finishWithoutUpdate(i);
                default -> LOG.warning("unknown step " + i.getStep());
            }
        }
        if (specGeneration != null) {
            reporter.status().setObservedGeneration(specGeneration);
        }
        reportSessions();
        reportRegistrations();
        reportInventory();
        reporter.flush();
    }

    /** Acts on a person's discard request for this boot's failed restore (see the annotation's doc). */
    private void discardIfRequested() {
        if (discardRequest == null || incoming.phase != NodePhase.Failed) {
            return;
        }
        if (!discardRequest.equals(incoming.plan.getUid())) {
            if (!discardRequest.equals(ignoredDiscardRequest)) {
                ignoredDiscardRequest = discardRequest;
                events.event(true, "DiscardIgnored", "annotation " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=" + discardRequest
                        + " names no failed restore here: the failed plan is " + incoming.plan.getName() + " (uid " + incoming.plan.getUid() + ")");
            }
            return;
        }
        Failure before = incoming.failure;
        try {
            incoming.discardOnRequest();
        } catch (ErrnoException e) {
            incoming.fail("FinishFailed", "FINISH for the discard request failed: " + e.getMessage());
            return;
        }
        ctx.local.clearUpdate();
        ctx.local.clearRestore();
        String what = "discarded on request (" + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "): FINISH sent after "
                + before.reason() + "; files no workload took back from sessions " + incoming.discarded + " are gone";
        LOG.warning(() -> "plan " + incoming.plan.getName() + ": " + what);
        events.event(true, "DiscardedOnRequest", what);
    }

    private void onNoInstruction() {
        if (outgoing != null) {
            PlanReference plan = outgoing.plan;
            outgoing.release();
            outgoing = null;
            ctx.local.clearUpdate();
            reporter.status().setSessions(null);
            LOG.info(() -> "the instruction of plan " + plan.getName() + " was cleared; released its staged sessions and kernel");
        }
        if (incoming != null && (incoming.phase == NodePhase.Restoring || incoming.phase == NodePhase.Updated)) {
            // Keep serving the restored files; FINISH needs an instruction (invariant 3 is checked then).
            reportIncoming(incoming.plan);
            return;
        }
        if (restoreHeld()) {
            // The plan let go, but the kernel still holds what its restore did not give back: say so, and how to end it.
            reporter.phase(null, NodePhase.Idle, "UnreleasedRestore", "no plan holds this node, but " + heldRestore()
                    + "; workloads can still retrieve them. Release them with: " + releaseCommand());
            return;
        }
        if (reporter.status().getPhase() != NodePhase.Idle) {
            reporter.phase(null, NodePhase.Idle, null, "no plan holds this node");
        }
    }

    private void prepare(NodeInstruction i, boolean reboot) {
        PlanReference plan = i.getPlan();
        if (stickyFailure(plan) || stickyOutcome(plan, NodePhase.Finished) || stickyOutcome(plan, NodePhase.Cancelled)) {
            return;
        }
        Optional<RebootLedger.Entry> rebooted = ctx.local.ledger().latestFor(plan.getUid());
        if (rebooted.isPresent() && (outgoing == null || !outgoing.plan.getUid().equals(plan.getUid()))) {
            // This plan already rebooted this node, and this process has no live preparation for it: never start over.
            reporter.phase(plan, NodePhase.Failed, "RebootAlreadyIssued", "this node already rebooted for plan " + plan.getName() + " (boot "
                    + rebooted.get().bootID() + " at " + rebooted.get().issuedAt() + ") and the agent has no restore state for it here;"
                    + " a node never reboots twice for one plan (invariant 6)");
            return;
        }
        if (restoreHeld() && outgoing == null) {
            // A new kexec would end what the failed restore still holds (generation B would even let it happen):
            // no new update until a person has saved or released those files.
            String why = heldRestore() + "; another kexec would destroy them. Let workloads retrieve them, then release them with: "
                    + releaseCommand();
            if (reporter.status().getPhase() != NodePhase.Failed || !samePlanUid(reporter.status().getPlan(), plan)) {
                outcome(plan, UpdateResult.Failed, "UnreleasedRestore", Times.now(ctx.clock));
            }
            reporter.phase(plan, NodePhase.Failed, "UnreleasedRestore", why);
            return;
        }
        if (outgoing != null && (!outgoing.plan.getUid().equals(plan.getUid())
                || outgoing.phase == NodePhase.Failed && !Objects.equals(outgoing.plan.getGeneration(), plan.getGeneration()))) {
            outgoing.release();
            outgoing = null;
        }
        if (outgoing == null) {
            outgoing = new OutgoingRun(ctx, i);
            reporter.phase(plan, NodePhase.Preparing, null, "preparing for kernel " + i.getKernel().getRelease());
        }
        outgoing.advance();
        switch (outgoing.phase) {
            case Failed -> {
                reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
                outcome(plan, UpdateResult.Failed, outgoing.failure.reason(), Times.format(outgoing.startedAt));
            }
            case Preparing -> reporter.phase(plan, NodePhase.Preparing, null, outgoing.progress);
            case Prepared -> {
                reporter.phase(plan, NodePhase.Prepared, null, outgoing.progress);
                if (reboot) {
                    reboot(i);
                }
            }
            default -> { }
        }
    }

    /** Protocol step 4, guarded by invariants 1 and 6. */
    private void reboot(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (ctx.local.ledger().rebootedFor(plan.getUid())) {
            reporter.phase(plan, NodePhase.Failed, "RebootAlreadyIssued", "a reboot was already issued for plan " + plan.getName()
                    + "; a node never reboots twice for one plan (invariant 6)");
            return;
        }
        List<String> violations = outgoing.rebootViolations(i);
        if (!violations.isEmpty()) {
            outgoing.fail("RebootRefused", "refusing to reboot: " + String.join("; ", violations));
            reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
            outcome(plan, UpdateResult.Failed, "RebootRefused", Times.format(outgoing.startedAt));
            return;
        }
        String issuedAt = Times.now(ctx.clock);
        LiveUpdateNodeStatus s = reporter.status();
        BootTransition boot = new BootTransition();
        boot.setBootIDBefore(ctx.bootId);
        boot.setReleaseBefore(ctx.release);
        s.setBoot(boot);
        Blackout blackout = new Blackout();
        blackout.setRebootIssuedAt(issuedAt);
        s.setBlackout(blackout);
        reporter.phase(plan, NodePhase.Rebooting, null, "reboot(KEXEC) into " + i.getKernel().getRelease() + " issued at " + issuedAt);
        reportSessions();
        reportRegistrations();
        reportInventory();
        try {
            reporter.flushAndWait();
        } catch (Exception e) {
            // No acknowledgement, no reboot: the report of where the node is must survive the kexec.
            reporter.phase(plan, NodePhase.Prepared, null, "waiting for the API server to acknowledge Rebooting before the kexec: " + e.getMessage());
            s.setBlackout(null);
            LOG.log(Level.WARNING, "status write before the reboot not acknowledged; will retry", e);
            return;
        }
        ctx.local.saveUpdate(outgoing.record(issuedAt));
        ctx.local.recordReboot(new RebootLedger.Entry(plan.getName(), plan.getUid(), plan.getGeneration() == null ? 0 : plan.getGeneration(), ctx.bootId, issuedAt));
        LOG.info(() -> "sync; reboot(LINUX_REBOOT_CMD_KEXEC) for plan " + plan.getName());
        try {
            kexec.execute();
            outgoing.fail("RebootFailed", "reboot(KEXEC) returned without rebooting; not retried for this plan (invariant 6)");
        } catch (ErrnoException e) {
            outgoing.fail("RebootFailed", "reboot(KEXEC) failed: " + e.getMessage() + "; not retried for this plan (invariant 6)."
                    + " The sessions are still held; finish or clear the instruction to release them");
        }
        reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
        outcome(plan, UpdateResult.Failed, outgoing.failure.reason(), Times.format(outgoing.startedAt));
    }

    private void cancel(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (stickyOutcome(plan, NodePhase.Cancelled)) {
            return;
        }
        String started = outgoing != null ? Times.format(outgoing.startedAt) : null;
        if (outgoing != null) {
            outgoing.release();
            outgoing = null;
        } else {
            cleanUpDevice();
        }
        ctx.local.clearUpdate();
        reporter.status().setSessions(null);
        reporter.phase(plan, NodePhase.Cancelled, null, "cancelled: sessions released, staged kernel unloaded" + (ctx.device.device() != null
                && ctx.device.device().generation() == Generation.A ? ", device back to NORMAL" : ""));
        outcome(plan, UpdateResult.Cancelled, null, started);
    }

    /** Finished for a plan that did not reboot this node in a way this agent can see. */
    private void finishWithoutUpdate(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (stickyOutcome(plan, NodePhase.Finished)) {
            return;
        }
        Optional<RebootLedger.Entry> rebooted = ctx.local.ledger().latestFor(plan.getUid());
        if (rebooted.isPresent() && !rebooted.get().bootID().equals(ctx.bootId)) {
            if (reporter.status().getPhase() != NodePhase.Failed) {
                reporter.phase(plan, NodePhase.Failed, "RestoreStateLost", "the node rebooted for plan " + plan.getName()
                        + " but the agent's restore record is gone; FINISH is not sent because nothing proves the sessions were restored (invariant 3)");
            }
            return;
        }
        if (outgoing != null) {
            outgoing.release();
            outgoing = null;
            ctx.local.clearUpdate();
        }
        if (reporter.status().getPhase() == NodePhase.Failed && samePlanUid(reporter.status().getPlan(), plan)) {
            return;
        }
        reporter.phase(plan, NodePhase.Finished, "NotRebooted", "finished without a reboot: anything staged for the plan was released");
    }

    private void onIncoming(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (incoming.phase == NodePhase.Updated && i.getStep() == NodeStep.Finished) {
            try {
                incoming.finish();
                ctx.local.clearUpdate();
                ctx.local.clearRestore();
                LOG.info(() -> "FINISH done for plan " + plan.getName());
            } catch (ErrnoException e) {
                incoming.fail("FinishFailed", "FINISH failed: " + e.getMessage());
            }
            if (incoming.phase == NodePhase.Finished) {
                reportIncoming(plan);
                outcome(plan, UpdateResult.Finished, null, incoming.record.startedAt());
                return;
            }
        } else if (i.getStep() == NodeStep.Cancelled || i.getStep() == NodeStep.Prepared) {
            reporter.message("ignoring step " + i.getStep() + ": this node already rebooted for plan " + plan.getName() + "; only Finished applies now");
        }
        reportIncoming(plan);
    }

    private void reportIncoming(PlanReference plan) {
        LiveUpdateNodeStatus s = reporter.status();
        UpdateRecord r = incoming.record;
        BootTransition boot = new BootTransition();
        boot.setBootIDBefore(r.bootIDBefore());
        boot.setReleaseBefore(r.releaseBefore());
        boot.setBootIDAfter(ctx.bootId);
        boot.setReleaseAfter(ctx.release);
        s.setBoot(boot);
        Blackout b = new Blackout();
        b.setRebootIssuedAt(r.rebootIssuedAt());
        b.setDeviceReopenedAt(incoming.deviceReopenedAt());
        if (incoming.restoredAt != null) {
            b.setSessionsRestoredAt(Times.format(incoming.restoredAt));
            Long ms = incoming.blackoutMillis();
            b.setDurationMillis(ms);
            b.setDuration(ms == null ? null : Durations.human(ms));
        }
        s.setBlackout(b);
        String releaseNote = r.targetRelease() != null && !r.targetRelease().equals(ctx.release)
                ? " WARNING: running " + ctx.release + " but the plan targets " + r.targetRelease() + "." : "";
        switch (incoming.phase) {
            case Restoring -> reporter.phase(plan, NodePhase.Restoring, null, incoming.waitingSummary() + releaseNote);
            case Updated -> reporter.phase(plan, NodePhase.Updated, null, "running " + ctx.release + "; " + incoming.waitingSummary()
                    + (incoming.discarded.isEmpty() ? "" : "; discarding " + incoming.discarded + " at FINISH (restore timeout, onTimeout Discard)")
                    + (b.getDuration() == null ? "" : "; blackout " + b.getDuration()) + releaseNote);
            case Finished -> {
                if (incoming.discardedAfter != null) {
                    reporter.phase(plan, NodePhase.Finished, "DiscardedOnRequest", "finished by a person's discard request after "
                            + incoming.discardedAfter.reason() + ": FINISH sent, unrestored files of " + incoming.discarded
                            + " dropped; running " + ctx.release);
                } else {
                    reporter.phase(plan, NodePhase.Finished, null, "finished: running " + ctx.release
                            + (b.getDuration() == null ? "" : ", blackout " + b.getDuration()));
                }
            }
            case Failed -> {
                if (reporter.status().getPhase() != NodePhase.Failed) {
                    outcome(plan, UpdateResult.Failed, incoming.failure.reason(), r.startedAt());
                }
                reporter.phase(plan, NodePhase.Failed, incoming.failure.reason(), incoming.failure.message());
            }
            default -> { }
        }
    }

    /** A Failed phase stays for the same plan generation; a new generation (or Cancelled) moves on. */
    private boolean stickyFailure(PlanReference plan) {
        LiveUpdateNodeStatus s = reporter.status();
        if (s.getPhase() != NodePhase.Failed || s.getPlan() == null || !samePlanUid(s.getPlan(), plan)) {
            return false;
        }
        if (outgoing != null && outgoing.plan.getUid().equals(plan.getUid()) && outgoing.phase != NodePhase.Failed) {
            return false;
        }
        return Objects.equals(s.getPlan().getGeneration(), plan.getGeneration()) || ctx.local.ledger().rebootedFor(plan.getUid());
    }

    private boolean stickyOutcome(PlanReference plan, NodePhase phase) {
        LiveUpdateNodeStatus s = reporter.status();
        return s.getPhase() == phase && samePlanUid(s.getPlan(), plan);
    }

    private static boolean samePlanUid(PlanReference a, PlanReference b) {
        return a != null && b != null && Objects.equals(a.getUid(), b.getUid());
    }

    private void outcome(PlanReference plan, UpdateResult result, String reason, String startedAt) {
        UpdateOutcome o = new UpdateOutcome();
        o.setPlan(plan);
        o.setResult(result);
        o.setReason(reason);
        o.setKernelRelease(ctx.release);
        o.setStartedAt(startedAt);
        o.setCompletedAt(Times.now(ctx.clock));
        if (result == UpdateResult.Finished && incoming != null) {
            o.setBlackoutMillis(incoming.blackoutMillis());
        }
        reporter.status().setLastUpdate(o);
    }

    // ---------------------------------------------------------------- reporting

    private void reportInventory() {
        LiveUpdateNodeStatus s = reporter.status();
        NodeInventory inv = new NodeInventory();
        LuoDevice device = ctx.device.device();
        inv.setKernelRelease(ctx.release);
        inv.setBootID(ctx.bootId);
        inv.setAgentVersion(settings.agentVersion());
        inv.setRebootStrategy(settings.rebootStrategy());
        switch (ctx.device.availability()) {
            case OPEN -> {
                inv.setCapable(true);
                inv.setAbi(device.generation() == Generation.A ? AbiGeneration.A : AbiGeneration.B);
                inv.setDeviceState(deviceState(device));
                reporter.condition("DeviceReady", true, "Opened", "the agent holds " + settings.devicePath() + " (generation " + device.generation() + ")");
            }
            case ABSENT -> {
                inv.setCapable(false);
                inv.setAbi(AbiGeneration.None);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "NoLiveUpdateDevice", ctx.device.problem());
            }
            case BUSY -> {
                inv.setCapable(false);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "DeviceBusy", ctx.device.problem());
            }
            default -> {
                inv.setCapable(false);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "OpenFailed", String.valueOf(ctx.device.problem()));
            }
        }
        reporter.condition("Ready", ctx.device.settled(), ctx.device.settled() ? "AgentReady" : "DeviceNotSettled",
                ctx.device.settled() ? "the agent knows this node's live-update capability and follows its instruction" : "waiting for /dev/liveupdate");
        s.setInventory(inv);
        reportHeldRestore();
    }

    /** The restore after this boot's kexec failed and nobody released what the kernel still holds. */
    private boolean restoreHeld() {
        return incoming != null && incoming.phase == NodePhase.Failed;
    }

    private String heldRestore() {
        return "the kernel still holds the files of plan " + incoming.plan.getName() + " (uid " + incoming.plan.getUid()
                + ") whose restore failed (" + incoming.failure.reason() + ")";
    }

    /** What a person runs to release a held restore. */
    private String releaseCommand() {
        return "kubectl annotate lun " + settings.nodeName() + " " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "="
                + incoming.plan.getUid();
    }

    /** Whether the kernel still holds the files of a failed restore, for kubectl and the agent's alerting gauge. */
    private void reportHeldRestore() {
        if (restoreHeld()) {
            reporter.condition(HELD_RESTORE, true, incoming.failure.reason(), heldRestore()
                    + "; workloads can retrieve them; release with: " + releaseCommand());
        } else if (reporter.status().getConditions() != null
                && reporter.status().getConditions().stream().anyMatch(c -> HELD_RESTORE.equals(c.getType()))) {
            reporter.condition(HELD_RESTORE, false, "Released", "no failed restore holds files on this node");
        }
    }

    private DeviceState deviceState(LuoDevice device) {
        if (device.generation() != Generation.A) {
            return DeviceState.Undefined;
        }
        try {
            return switch (device.state()) {
                case NORMAL -> DeviceState.Normal;
                case PREPARED -> DeviceState.Prepared;
                case FROZEN -> DeviceState.Frozen;
                case UPDATED -> DeviceState.Updated;
                default -> DeviceState.Undefined;
            };
        } catch (ErrnoException e) {
            return DeviceState.Undefined;
        }
    }

    private void reportSessions() {
        List<SessionStatus> list = new ArrayList<>();
        if (outgoing != null) {
            for (Map.Entry<String, LuoSession> e : outgoing.sessions.entrySet()) {
                SessionStatus st = new SessionStatus();
                st.setName(e.getKey());
                st.setRequired(outgoing.spec(e.getKey()).map(OutgoingRun::required).orElse(true));
                st.setState(SessionState.Created);
                st.setPreservedTokens(tokens(e.getKey(), FileState.Preserved));
                list.add(st);
            }
        } else if (incoming != null) {
            for (UpdateRecord.SessionRecord r : incoming.record.sessions()) {
                SessionStatus st = new SessionStatus();
                st.setName(r.name());
                st.setRequired(r.required());
                st.setState(incoming.phase == NodePhase.Finished ? SessionState.Finished : incoming.lost.containsKey(r.name()) ? SessionState.Lost : SessionState.Retrieved);
                st.setPreservedTokens(r.tokens().isEmpty() ? null : r.tokens());
                st.setRestoredTokens(tokens(r.name(), FileState.Restored));
                list.add(st);
            }
        } else {
            return; // keep whatever was last reported (e.g. the Lost sessions of a recovered failure)
        }
        reporter.status().setSessions(list.isEmpty() ? null : list);
    }

    private List<Long> tokens(String session, FileState state) {
        List<Long> t = ctx.files.inSession(session).stream().filter(f -> f.state == state).map(f -> f.token).toList();
        return t.isEmpty() ? null : t;
    }

    private void reportRegistrations() {
        Map<String, Integer> unmanaged = new LinkedHashMap<>();
        for (HeldFile f : ctx.files.all()) {
            if (f.state == FileState.Held && (outgoing == null || !outgoing.declares(f.session))) {
                unmanaged.merge(f.session, 1, Integer::sum);
            }
        }
        List<Registration> list = new ArrayList<>();
        unmanaged.forEach((session, n) -> {
            Registration r = new Registration();
            r.setSession(session);
            r.setFiles(n);
            list.add(r);
        });
        reporter.status().setUnmanagedRegistrations(list.isEmpty() ? null : list);
    }

    // ---------------------------------------------------------------- workload requests (engine thread)

    public void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
        try {
            Optional<HeldFile> existing = ctx.files.get(session, token);
            if (existing.isPresent()) {
                HeldFile e = existing.get();
                if (e.state != FileState.Lost && e.state != FileState.Restored) {
                    throw new ProtocolException(ErrorCode.DUPLICATE_TOKEN, "session " + session + " already holds token " + Tokens.format(token)
                            + " (" + e.state + "); unpreserve it first or use another token");
                }
                ctx.closeQuietly(e.fd);
                ctx.files.remove(session, token);
            }
            HeldFile f = new HeldFile(session, token, fd, peer.uid(), FileState.Held);
            if (outgoing != null && outgoing.declares(session)) {
                if (outgoing.phase == NodePhase.Prepared) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "session " + session + " is sealed: the node is Prepared for plan "
                            + outgoing.plan.getName() + " and reboots next; register after the update");
                }
                if (outgoing.sessions.containsKey(session)) {
                    outgoing.preserveInKernel(f);
                }
            }
            ctx.files.put(f);
            LOG.info(() -> "registered " + session + "/" + Tokens.format(token) + " from " + peer + " (" + f.state + ")");
        } catch (ProtocolException e) {
            ctx.closeQuietly(fd);
            throw e;
        }
        reconcile();
    }

    public void unpreserve(Peer peer, String session, long token) throws ProtocolException {
        HeldFile f = find(session, token);
        switch (f.state) {
            case Preserved -> {
                LuoSession ks = outgoing == null ? null : outgoing.sessions.get(session);
                if (ks == null || outgoing.phase != NodePhase.Preparing) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "session " + session + " is sealed for the update in progress");
                }
                if (ks.generation() != Generation.A) {
                    throw new ProtocolException(ErrorCode.SESSION_SEALED, "generation B cannot take a single file out of a session;"
                            + " it leaves the kernel when the plan is cancelled");
                }
                try {
                    ks.unpreserve(token);
                } catch (ErrnoException e) {
                    throw new ProtocolException(OutgoingRun.codeFor(e, Generation.A), "UNPRESERVE_FD refused: " + e.getMessage());
                }
            }
            case Restorable -> {
                // The workload declines its file: that settles it for the restore rule.
                if (incoming != null) {
                    incoming.onHandedBack(f);
                }
            }
            default -> { }
        }
        ctx.closeQuietly(f.fd);
        ctx.files.remove(session, token);
        reconcile();
    }

    /** @return a new fd (a dup of the agent's) for the socket to send and close */
    public int retrieve(Peer peer, String session, long token) throws ProtocolException {
        HeldFile f = find(session, token);
        if (f.state == FileState.Lost) {
            throw new ProtocolException(ErrorCode.LOST, "session " + session + " token " + Tokens.format(token) + " is lost: " + f.detail);
        }
        if (f.fd < 0) {
            throw new ProtocolException(ErrorCode.LOST, "session " + session + " token " + Tokens.format(token)
                    + " was handed back before an agent restart; the agent no longer holds a copy");
        }
        int dup;
        try {
            dup = ctx.calls.dup(f.fd);
        } catch (ErrnoException e) {
            throw new ProtocolException(ErrorCode.KERNEL_ERROR, "dup failed: " + e.getMessage());
        }
        if (f.state == FileState.Restorable && incoming != null) {
            incoming.onHandedBack(f);
            LOG.info(() -> "handed " + session + "/" + Tokens.format(token) + " back to " + peer);
            reconcile();
        }
        return dup;
    }

    public StatusReport status(Peer peer, String session) {
        LiveUpdateNodeStatus s = reporter.status();
        NodeInventory inv = s.getInventory();
        StatusReport.AgentInfo agent = new StatusReport.AgentInfo(settings.nodeName(), s.getPhase() == null ? null : s.getPhase().name(),
                inv == null || inv.getAbi() == null ? null : inv.getAbi().name(), ctx.bootId, ctx.release,
                instruction == null ? null : instruction.getPlan().getName(), incoming != null);
        List<StatusReport.FileEntry> list = new ArrayList<>();
        for (HeldFile f : ctx.files.all()) {
            if (session == null || session.equals(f.session)) {
                String detail = f.detail;
                if (f.state == FileState.Held) {
                    detail = detail != null ? detail : "held by the agent; no plan preserves session " + f.session + " yet";
                }
                list.add(new StatusReport.FileEntry(f.session, f.token, f.state, f.ownerUid, detail));
            }
        }
        return new StatusReport(agent, list);
    }

    private HeldFile find(String session, long token) throws ProtocolException {
        if (!ctx.files.hasSession(session)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "the agent holds nothing for session " + session);
        }
        return ctx.files.get(session, token).orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_TOKEN,
                "session " + session + " holds no token " + Tokens.format(token)));
    }
}
