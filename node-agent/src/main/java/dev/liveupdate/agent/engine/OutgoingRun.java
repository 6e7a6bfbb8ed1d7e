package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RestoreSpec;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One plan's outgoing side in this boot (protocol step 2): check the kernel, create and hold the
 * sessions, preserve the workloads' files, wait for the required ones, load the kernel, PREPARE
 * (A). Also undoes all of it on cancel.
 */
final class OutgoingRun {
    private static final Logger LOG = Logger.getLogger(OutgoingRun.class.getName());
    static final Duration DEFAULT_PREPARE_TIMEOUT = Duration.ofMinutes(15);

    private final EngineContext ctx;
    final NodeInstruction instruction;
    final PlanReference plan;
    final Instant startedAt;
    NodePhase phase = NodePhase.Preparing;
    Failure failure;
    String progress = "starting";
    final Map<String, LuoSession> sessions = new LinkedHashMap<>();
    /** Registrations for this plan's sessions the kernel would not take: named in every report while they last. */
    final RefusedRegistrations refused = new RefusedRegistrations();
    private boolean kernelChecked;
    /** The kernel files as checked, held open until kexec_file_load takes these same fds; null before the check and after the load. */
    private OpenedKernel kernelFiles;
    boolean kernelLoaded;
    boolean devicePrepared;

    OutgoingRun(EngineContext ctx, NodeInstruction instruction) {
        this.ctx = ctx;
        this.instruction = instruction;
        this.plan = instruction.getPlan();
        this.startedAt = ctx.clock.instant();
    }

    List<SessionSpec> specs() {
        return instruction.getSessions() == null ? List.of() : instruction.getSessions();
    }

    Optional<SessionSpec> spec(String name) {
        return specs().stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    boolean declares(String session) {
        return spec(session).isPresent();
    }

    static boolean required(SessionSpec s) {
        return s.getRequired() == null || s.getRequired();
    }

    static int minFiles(SessionSpec s) {
        return s.getMinFiles() == null ? 1 : s.getMinFiles();
    }

    /** Takes the run as far as it can go now. Safe to call repeatedly. */
    void advance() {
        if (phase != NodePhase.Preparing) {
            return;
        }
        LuoDevice device = ctx.device.device();
        if (device == null) {
            Duration timeout = prepareTimeout();
            if (ctx.device.availability() == DeviceKeeper.Availability.ABSENT) {
                fail("NotCapable", "this node has no /dev/liveupdate: " + ctx.device.problem());
            } else if (ctx.clock.instant().isAfter(startedAt.plus(timeout))) {
                fail("DeviceUnavailable", "could not open /dev/liveupdate within the prepare timeout " + timeout + ": " + ctx.device.problem());
            } else {
                progress = "waiting for /dev/liveupdate: " + ctx.device.problem();
            }
            return;
        }
        if (!kernelChecked) {
            String notStaged = StagedKernelFiles.notStaged(instruction.getKernel(), ctx.staging);
            if (notStaged != null) {
                // A URL kernel is downloaded ahead of the waves; a node reached before it is staged waits, bounded.
                Duration timeout = prepareTimeout();
                if (StagedKernelFiles.failedForGood(instruction.getKernel(), ctx.staging)) {
                    fail("KernelNotStaged", "the kernel cannot be staged on this node: " + notStaged);
                } else if (ctx.clock.instant().isAfter(startedAt.plus(timeout))) {
                    fail("KernelNotStaged", "the kernel was not staged within the prepare timeout " + timeout + ": " + notStaged);
                } else {
                    progress = "waiting for the kernel to be staged: " + notStaged;
                }
                return;
            }
            try {
                kernelFiles = ctx.loader.open(instruction.getKernel());
            } catch (KernelRefused e) {
                fail(e.failure().reason(), e.failure().message());
                return;
            }
            kernelChecked = true;
        }
        if (sessions.isEmpty() && !specs().isEmpty() && !createSessions(device)) {
            return;
        }
        Optional<String> missing = unpopulated();
        if (missing.isPresent()) {
            Duration timeout = prepareTimeout();
            String refusals = refused.describe().map(r -> "; refused registrations: " + r).orElse("");
            if (ctx.clock.instant().isAfter(startedAt.plus(timeout))) {
                fail("PrepareTimeout", "required sessions were not populated within " + timeout + ": " + missing.get() + refusals
                        + "; hand the files over through the agent socket (lu-client preserve) or lower minFiles");
            } else {
                progress = "waiting for workloads: " + missing.get() + refusals;
            }
            return;
        }
        if (!kernelLoaded) {
            try {
                ctx.loader.load(kernelFiles, instruction.getKernel(), ctx.host.kernelCmdline());
                kernelLoaded = true;
                List<String> staged = StagedKernelFiles.requests(instruction.getKernel(), null).stream().map(r -> r.getSha256()).toList();
                if (!staged.isEmpty()) {
                    ctx.staging.loaded(staged);
                }
            } catch (KernelRefused e) {
                fail(e.failure().reason(), e.failure().message());
                return;
            } catch (ErrnoException e) {
                fail("KernelLoadFailed", "kexec_file_load of " + (instruction.getKernel().fromUrl() ? instruction.getKernel().getUrl()
                        + " (staged)" : instruction.getKernel().getImage()) + " failed: " + e.getMessage()
                        + (e.is(Errno.EPERM) ? " (the agent needs CAP_SYS_BOOT)" : ""));
                return;
            } finally {
                closeKernelFiles(); // the kernel copied what it needs (or the run failed)
            }
        }
        if (device.generation() == Generation.A && !devicePrepared) {
            try {
                device.prepare();
                devicePrepared = true;
            } catch (ErrnoException e) {
                fail("PrepareEventFailed", "SET_EVENT(PREPARE) failed: " + e.getMessage());
                return;
            }
        }
        ctx.local.saveUpdate(record(null));
        phase = NodePhase.Prepared;
        progress = "prepared: " + summary();
    }

    private boolean createSessions(LuoDevice device) {
        if (device.generation() == Generation.A) {
            LuoState state = device.state();
            if (state != LuoState.NORMAL) {
                fail("DeviceNotNormal", "the LUO device is " + state + ", not NORMAL: an earlier update was not finished or cancelled;"
                        + " a person must decide (FINISH drops unreclaimed state, CANCEL aborts a prepared one)");
                return false;
            }
        }
        for (SessionSpec spec : specs()) {
            if (spec.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > device.generation().maxSessionNameBytes()) {
                fail("SessionNameTooLong", "session " + spec.getName() + " is longer than generation " + device.generation() + " allows");
                return false;
            }
            try {
                sessions.put(spec.getName(), device.createSession(spec.getName()));
            } catch (ErrnoException e) {
                fail("SessionCreateFailed", "CREATE_SESSION(" + spec.getName() + ") failed: " + e.getMessage());
                return false;
            }
        }
        // Durable before any file goes in: a restarted agent must know these sessions existed.
        ctx.local.saveUpdate(record(null));
        for (String name : sessions.keySet()) {
            for (HeldFile f : ctx.files.inSession(name)) {
                if (f.state == FileState.Held) {
                    try {
                        preserveInKernel(f);
                    } catch (ProtocolException e) {
                        f.detail = "not preserved: " + e.getMessage();
                        LOG.warning(() -> "registration " + name + "/" + Long.toUnsignedString(f.token) + " not preserved: " + e.getMessage());
                    }
                }
            }
        }
        return true;
    }

    /** PRESERVE_FD of a held file into its plan session. */
    void preserveInKernel(HeldFile f) throws ProtocolException {
        LuoSession session = sessions.get(f.session);
        if (session == null) {
            return;
        }
        try {
            session.preserve(f.fd, f.token);
            f.state = FileState.Preserved;
            f.detail = "in kernel session " + f.session + " for plan " + plan.getName();
            refused.forget(f.session, f.token);
        } catch (ErrnoException e) {
            ErrorCode code = codeFor(e, session.generation());
            refused.refused(f, code, e.getMessage());
            throw new ProtocolException(code, "PRESERVE_FD refused: " + e.getMessage());
        }
    }

    /** The workload-protocol code for a refused PRESERVE_FD / UNPRESERVE_FD; EBUSY means different things per generation. */
    static ErrorCode codeFor(ErrnoException e, Generation generation) {
        if (e.is(Errno.EEXIST)) {
            return ErrorCode.DUPLICATE_TOKEN;
        }
        if (e.is(Errno.ENOENT)) {
            return ErrorCode.NOT_PRESERVABLE;
        }
        if (e.is(Errno.ENOSPC)) {
            return ErrorCode.SESSION_FULL;
        }
        if (e.is(Errno.EBUSY)) {
            // A: the device or session is past NORMAL (sealed for the kexec). B (7.x): the file is already preserved.
            return generation == Generation.B ? ErrorCode.FILE_IN_USE : ErrorCode.SESSION_SEALED;
        }
        return ErrorCode.KERNEL_ERROR;
    }

    /**
     * The required sessions that do not yet hold minFiles distinct files, as "vm (0 of 1 files)" (with "tokens 1,2 are
     * one file" when a file came under several tokens), or empty when all do.
     */
    Optional<String> unpopulated() {
        List<String> short_ = new ArrayList<>();
        for (SessionSpec s : specs()) {
            if (!required(s)) {
                continue;
            }
            DistinctFiles preserved = preserved(s.getName());
            if (!sessions.containsKey(s.getName()) || preserved.count() < minFiles(s)) {
                List<String> shared = preserved.sharedTokens();
                short_.add(s.getName() + " (" + preserved.count() + " of " + minFiles(s) + " files"
                        + (shared.isEmpty() ? "" : "; " + String.join("; ", shared)) + ")");
            }
        }
        return short_.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", short_));
    }

    /** The session's files in the kernel, grouped by file: minFiles counts files, not tokens. */
    private DistinctFiles preserved(String session) {
        return DistinctFiles.of(ctx.files.inSession(session).stream().filter(f -> f.state == FileState.Preserved).toList());
    }

    /** Invariant 1, checked right before the reboot against the live device. Empty when the node may reboot. */
    List<String> rebootViolations(NodeInstruction current) {
        List<String> v = new ArrayList<>();
        if (phase != NodePhase.Prepared) {
            v.add("the node is " + phase + ", not Prepared");
        }
        if (!Objects.equals(current.getPlan().getUid(), plan.getUid())) {
            v.add("the instruction belongs to another plan");
        }
        if (!Objects.equals(current.getKernel(), instruction.getKernel()) && !sameKernel(current)) {
            v.add("the plan's kernel changed after the node was prepared");
        }
        for (SessionSpec s : current.getSessions() == null ? List.<SessionSpec>of() : current.getSessions()) {
            if (required(s) && !sessions.containsKey(s.getName())) {
                v.add("required session " + s.getName() + " was not created");
            }
        }
        unpopulated().ifPresent(m -> v.add("required sessions not populated: " + m));
        if (!kernelLoaded) {
            v.add("the target kernel is not loaded");
        }
        LuoDevice device = ctx.device.device();
        if (device == null) {
            v.add("/dev/liveupdate is not open");
        } else if (device.generation() == Generation.A) {
            LuoState state = device.state();
            if (state != LuoState.PREPARED) {
                v.add("the LUO device is " + state + ", not PREPARED");
            }
        }
        return v;
    }

    private boolean sameKernel(NodeInstruction current) {
        var a = current.getKernel();
        var b = instruction.getKernel();
        return a != null && b != null && Objects.equals(a.getImage(), b.getImage()) && Objects.equals(a.getRelease(), b.getRelease())
                && Objects.equals(a.getInitrd(), b.getInitrd()) && Objects.equals(a.getCmdline(), b.getCmdline())
                && Objects.equals(a.getSha256(), b.getSha256()) && Objects.equals(a.getUrl(), b.getUrl())
                && Objects.equals(a.getInitrdUrl(), b.getInitrdUrl());
    }

    /**
     * Undo everything: CANCEL (A, when PREPARED), close the sessions (the kernel drops them), unload
     * the staged kernel. Workload registrations stay with the agent for the next plan.
     */
    void release() {
        LuoDevice device = ctx.device.device();
        if (device != null && device.generation() == Generation.A) {
            try {
                LuoState state = device.state();
                if (state == LuoState.PREPARED || state == LuoState.FROZEN) {
                    device.cancel();
                }
            } catch (ErrnoException e) {
                LOG.log(Level.WARNING, "CANCEL failed", e);
            }
        }
        for (LuoSession s : sessions.values()) {
            s.close();
        }
        sessions.clear();
        for (HeldFile f : ctx.files.all()) {
            if (f.state == FileState.Preserved && declares(f.session)) {
                f.state = FileState.Held;
                f.detail = null;
            }
        }
        if (kernelLoaded) {
            unloadKernel(ctx);
            kernelLoaded = false;
        }
        closeKernelFiles();
        kernelChecked = false;
        devicePrepared = false;
    }

    private void closeKernelFiles() {
        if (kernelFiles != null) {
            ctx.loader.close(kernelFiles);
            kernelFiles = null;
        }
    }

    /**
     * After a loss (no run in this process holds the plan's sessions any more): nothing may be handed over, so stand the
     * device down (A CANCEL) and unload the kernel.
     */
    static void releaseLeftovers(EngineContext ctx) {
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
        unloadKernel(ctx);
    }

    static void unloadKernel(EngineContext ctx) {
        try {
            ctx.loader.unload();
        } catch (ErrnoException e) {
            LOG.log(Level.WARNING, "unloading the staged kernel failed", e);
        }
    }

    void fail(String reason, String message) {
        phase = NodePhase.Failed;
        failure = new Failure(reason, message);
        closeKernelFiles();
    }

    Duration prepareTimeout() {
        return Durations.parse(instruction.getPrepareTimeout(), DEFAULT_PREPARE_TIMEOUT);
    }

    String summary() {
        List<String> parts = new ArrayList<>();
        for (String name : sessions.keySet()) {
            DistinctFiles preserved = preserved(name);
            List<String> shared = preserved.sharedTokens();
            parts.add(name + " " + preserved.count() + " files" + (shared.isEmpty() ? "" : " (" + String.join("; ", shared) + ")"));
        }
        return (parts.isEmpty() ? "no sessions" : String.join(", ", parts)) + (kernelLoaded ? ", kernel " + instruction.getKernel().getRelease() + " loaded" : "")
                + refused.describe().map(r -> "; not preserved: " + r).orElse("");
    }

    /** The durable record of this run; rebootIssuedAt null until the reboot is issued. */
    UpdateRecord record(String rebootIssuedAt) {
        List<UpdateRecord.SessionRecord> list = new ArrayList<>();
        for (SessionSpec s : specs()) {
            if (!sessions.containsKey(s.getName())) {
                continue;
            }
            RestoreSpec r = s.getRestore() == null ? new RestoreSpec() : s.getRestore();
            List<HeldFile> preserved = ctx.files.inSession(s.getName()).stream().filter(f -> f.state == FileState.Preserved).toList();
            Map<Long, String> owners = new LinkedHashMap<>();
            preserved.forEach(f -> owners.put(f.token, f.owner.key()));
            list.add(new UpdateRecord.SessionRecord(s.getName(), required(s), minFiles(s),
                    r.getRule() == null ? null : r.getRule().name(), r.getTimeout(),
                    r.getOnTimeout() == null ? null : r.getOnTimeout().name(), preserved.stream().map(f -> f.token).toList(), owners));
        }
        return new UpdateRecord(plan.getName(), plan.getUid(), plan.getGeneration() == null ? 0 : plan.getGeneration(),
                ctx.bootId, ctx.release, instruction.getKernel().getRelease(), Times.format(startedAt), rebootIssuedAt, list);
    }
}
