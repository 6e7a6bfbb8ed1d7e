package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.agent.handoff.WorkloadSubscribers;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * The node agent's brain, free of Kubernetes and threads: it is fed the node's instruction, the
 * workloads' requests and clock ticks (all on one thread, see {@code EngineLoop}) and drives the
 * kernel through the per-node protocol, reporting through a {@link StatusSink}.
 *
 * <p>Every input ends in {@link #reconcile()}, which takes the node as far as the instruction,
 * the device and the workloads allow, and is safe to repeat. This class only routes: each rule has
 * its own handler ({@link Recovery} after a restart, {@link PrepareStep}, {@link RebootStep},
 * {@link RestoreStep}, {@link FinishStep}, {@link CancelStep}, {@link InstructionCleared},
 * {@link HeldRestore}, {@link WorkloadRequestHandler}; docs/architecture.md has the table).
 */
public final class StepEngine {
    private static final Logger LOG = Logger.getLogger(StepEngine.class.getName());
    /** Condition type: True while the kernel holds the files of a failed restore (until a person releases them). */
    public static final String HELD_RESTORE = HeldRestore.CONDITION;

    private final EngineContext ctx;
    private final StatusSink sink;
    private final EventSink events;
    private final ProcessState state = new ProcessState();
    private final Recovery recovery;
    private final HeldRestore heldRestore;
    private final NodeReport nodeReport;
    private final PrepareStep prepare;
    private final RestoreStep restore;
    private final FinishStep finish;
    private final CancelStep cancel;
    private final InstructionCleared cleared;
    private final WorkloadRequestHandler requests;
    private final GoneOwners goneOwners;
    private NodeInstruction instruction;
    private Long specGeneration;
    private boolean started;
    /** False until the first spec arrives: at start the engine does not yet know whether the node has an instruction. */
    private boolean specKnown;

    /** An engine that never releases files of gone workloads (it cannot tell whether they are gone). */
    public StepEngine(EngineSettings settings, KernelCalls calls, HostInfo host, Kexec kexec, StatusSink sink, EventSink events, Clock clock,
                      PlanAuthority plans) {
        this(settings, calls, host, kexec, sink, events, clock, plans, OwnerPresence.UNKNOWN);
    }

    /**
     * @param plans    confirms, from the API server, that an instruction's plan is live before a prepare or a kexec (invariant 8)
     * @param presence whether the pods that handed files over still exist ({@link GoneOwners})
     */
    public StepEngine(EngineSettings settings, KernelCalls calls, HostInfo host, Kexec kexec, StatusSink sink, EventSink events, Clock clock,
                      PlanAuthority plans, OwnerPresence presence) {
        this.ctx = new EngineContext(calls, host, new DeviceKeeper(calls, settings.devicePath(), clock), new LocalState(settings.stateDir()), clock,
                settings);
        this.sink = sink;
        this.events = events;
        Outcomes outcomes = new Outcomes(ctx, state);
        StickyPhase sticky = new StickyPhase(ctx, state);
        this.recovery = new Recovery(ctx, state, outcomes);
        this.heldRestore = new HeldRestore(settings.nodeName(), ctx, state, outcomes, events);
        this.nodeReport = new NodeReport(settings, ctx, state, heldRestore);
        PlanCheck planCheck = new PlanCheck(plans, ctx);
        this.prepare = new PrepareStep(ctx, state, sticky, heldRestore, outcomes, new RebootStep(ctx, state, kexec, outcomes, nodeReport, planCheck),
                planCheck);
        this.finish = new FinishStep(ctx, state, sticky);
        this.restore = new RestoreStep(ctx, state, outcomes, finish);
        this.cancel = new CancelStep(ctx, state, sticky, outcomes);
        this.cleared = new InstructionCleared(ctx, state, restore, heldRestore);
        this.requests = new WorkloadRequestHandler(settings.nodeName(), ctx, state, this::reconcile, settings.workloadLimits());
        this.goneOwners = new GoneOwners(ctx, state, presence, settings.workloadLimits().releaseGrace(), events);
    }

    // ---------------------------------------------------------------- inputs

    /** Kernel staging for URL kernels (before {@link #start}); without it URL kernels are never staged. */
    public void useStaging(StagingPort staging) {
        ctx.staging = staging;
    }

    /** What the node should have staged: the operator's requests, and the instruction's own URL kernel (never missed). */
    private static java.util.List<dev.liveupdate.api.v1alpha1.StageRequest> wantedStaged(LiveUpdateNodeSpec spec) {
        java.util.List<dev.liveupdate.api.v1alpha1.StageRequest> wanted = new java.util.ArrayList<>();
        if (spec != null && spec.getStage() != null) {
            wanted.addAll(spec.getStage());
        }
        NodeInstruction i = spec == null ? null : spec.getInstruction();
        if (i != null) {
            wanted.addAll(StagedKernelFiles.requests(i.getKernel(), i.getPlan() == null ? null : i.getPlan().getName()));
        }
        return wanted;
    }

    /** Opens the device, recovers from whatever a previous agent process left, and reports. */
    public void start(LiveUpdateNodeStatus lastReported) {
        state.reporter = new StatusReporter(sink, events, ctx.clock, lastReported);
        ctx.device.ensureOpen();
        recovery.recover(lastReported);
        if (state.status().getPhase() == null) {
            state.reporter.phase(null, NodePhase.Idle, null, "no plan holds this node");
        }
        started = true;
        reconcile();
    }

    /** The node's LiveUpdateNode spec changed (or was seen for the first time). */
    public void onSpec(LiveUpdateNodeSpec spec, Long generation) {
        instruction = spec == null ? null : spec.getInstruction();
        ctx.staging.request(wantedStaged(spec));
        specGeneration = generation;
        specKnown = true;
        reconcile();
    }

    /**
     * The LiveUpdateNode's discard request changed: the value of {@link LiveUpdateNode#DISCARD_UNRESTORED_ANNOTATION}
     * (a plan uid), or null when the annotation is absent.
     */
    public void onDiscardRequest(String planUid) {
        heldRestore.requestDiscard(planUid);
        if (started) {
            reconcile();
        }
    }

    /** Periodic: timeouts, device retries, files of gone workloads. */
    public void tick() {
        if (started) {
            goneOwners.sweep();
        }
        reconcile();
    }

    /** Where the socket keeps its subscribed workloads (freeze before the kexec, resumed after). */
    public WorkloadSubscribers notices() {
        return ctx.notices;
    }

    /** The device is open or known absent: the agent knows what this node can do. */
    public boolean deviceSettled() {
        return ctx.device.settled();
    }

    public NodePhase phase() {
        return state.reporter == null ? null : state.status().getPhase();
    }

    /** A copy of the current status (for tests and diagnostics). */
    public LiveUpdateNodeStatus status() {
        return StatusReporter.copy(state.status());
    }

    // ---------------------------------------------------------------- the step logic

    /** Takes the node as far as it can go now. */
    public void reconcile() {
        if (!started) {
            return;
        }
        ctx.device.ensureOpen();
        IncomingRun incoming = state.incoming;
        if (incoming != null) {
            incoming.evaluate();
            heldRestore.discardIfRequested();
        }
        NodeInstruction i = instruction;
        if (i == null && !specKnown) {
            if (incoming != null) {
                restore.report(incoming.plan);
            }
        } else if (i == null) {
            cleared.apply();
        } else if (incoming != null && incoming.plan.getUid().equals(i.getPlan().getUid())) {
            restore.follow(i);
        } else {
            switch (i.getStep()) {
                case Prepared -> prepare.prepare(i, false);
                case Rebooted -> prepare.prepare(i, true);
                case Cancelled -> cancel.cancel(i);
                case Finished -> finish.finishWithoutUpdate(i);
                default -> LOG.warning("unknown step " + i.getStep());
            }
        }
        if (specGeneration != null) {
            state.status().setObservedGeneration(specGeneration);
        }
        nodeReport.update();
        state.reporter.flush();
    }

    // ---------------------------------------------------------------- workload requests (engine thread)

    public void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
        requests.preserve(peer, session, token, fd);
    }

    public void unpreserve(Peer peer, String session, long token) throws ProtocolException {
        requests.unpreserve(peer, session, token);
    }

    /**
     * For a caller in this process, which holds the fd once this returns: retrieves it and counts it delivered at once.
     * @return a new fd (a dup of the agent's) the caller owns
     */
    public int retrieve(Peer peer, String session, long token) throws ProtocolException {
        int fd = requests.retrieve(peer, session, token);
        requests.delivered(peer, session, token);
        return fd;
    }

    /** @return a new fd (a dup of the agent's) for the socket to send and close, then report with {@link #delivered} */
    public int retrieveToSend(Peer peer, String session, long token) throws ProtocolException {
        return requests.retrieve(peer, session, token);
    }

    /** The socket sent the fd {@link #retrieveToSend} gave: the token counts as reclaimed from now on. */
    public void delivered(Peer peer, String session, long token) throws ProtocolException {
        requests.delivered(peer, session, token);
    }

    public StatusReport status(Peer peer, String session) {
        return requests.status(peer, session, instruction);
    }
}
