package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts the engine's handlers share (context, process state with a started reporter, outcomes), over one
 * simulated machine, so a test can drive one handler without going through the whole {@link StepEngine}.
 */
final class EngineParts {
    static final String NODE = "node-1";

    final MutableClock clock = new MutableClock();
    final FakeStatusSink sink = new FakeStatusSink();
    /** Every Event as "reason: message". */
    final List<String> events = new ArrayList<>();
    final EngineSettings settings;
    final SimulatedKernel sim;
    final EngineContext ctx;
    final ProcessState state = new ProcessState();
    final Outcomes outcomes;
    final StickyPhase sticky;
    final HeldRestore heldRestore;
    final NodeReport nodeReport;
    /** The API server's word on plans (invariant 8): confirms until a test says otherwise. */
    final FakePlanAuthority plans = new FakePlanAuthority();
    final PlanCheck planCheck;
    private final Path image;

    EngineParts(Path dir, Generation generation) throws IOException {
        image = SimulatedKernel.writeImage(Files.createDirectories(dir.resolve("boot")).resolve("vmlinuz-" + SimNode.TARGET), SimNode.TARGET);
        settings = new EngineSettings(NODE, Path.of("/dev/liveupdate"), dir.resolve("agent-state"), RebootStrategy.Simulated, "test")
                .withKernelDirs(List.of(image.getParent()));
        sim = SimulatedKernel.builder(dir.resolve("machine"), generation).exitAction(status -> {
            throw new IllegalStateException("these tests never kexec the simulator");
        }).build();
        EventSink eventSink = (warning, reason, message) -> events.add(reason + ": " + message);
        ctx = new EngineContext(sim, sim.hostInfo(), new DeviceKeeper(sim, settings.devicePath(), clock), new LocalState(settings.stateDir()),
                clock, settings);
        state.reporter = new StatusReporter(sink, eventSink, clock, null);
        ctx.device.ensureOpen();
        outcomes = new Outcomes(ctx, state);
        sticky = new StickyPhase(ctx, state);
        heldRestore = new HeldRestore(NODE, ctx, state, outcomes, eventSink);
        nodeReport = new NodeReport(settings, ctx, state, heldRestore);
        planCheck = new PlanCheck(plans, ctx);
    }

    /** An instruction for plan kernel-7-3 (uid-1, generation 1) without sessions, whose kernel image exists. */
    NodeInstruction instruction(NodeStep step) {
        NodeInstruction i = new NodeInstruction();
        i.setPlan(plan("uid-1", 1L));
        i.setStep(step);
        KernelSpec k = new KernelSpec();
        k.setRelease(SimNode.TARGET);
        k.setImage(image.toString());
        k.setSha256(sha256(image)); // the default kernel policy requires checksums
        i.setKernel(k);
        i.setSessions(List.of());
        return i;
    }

    static PlanReference plan(String uid, Long generation) {
        PlanReference p = new PlanReference();
        p.setName("kernel-7-3");
        p.setUid(uid);
        p.setGeneration(generation);
        return p;
    }

    /** The update record of plan uid-1 with one required session "vm" holding these tokens. */
    static UpdateRecord record(String bootIDBefore, String rebootIssuedAt, Long... tokens) {
        List<UpdateRecord.SessionRecord> sessions = tokens.length == 0 ? List.of()
                : List.of(new UpdateRecord.SessionRecord("vm", true, 1, null, null, null, List.of(tokens)));
        return new UpdateRecord("kernel-7-3", "uid-1", 1, bootIDBefore, "6.0-before", SimNode.TARGET, "2025-06-01T09:00:00Z",
                rebootIssuedAt, sessions);
    }

    /** This process holds a restore of plan uid-1 (one file in session "vm") that failed with this reason. */
    IncomingRun failedRestore(String reason) {
        ctx.local.saveUpdate(record("an-earlier-boot", "2025-06-01T09:30:00Z", 1L));
        IncomingRun incoming = new IncomingRun(ctx, record("an-earlier-boot", "2025-06-01T09:30:00Z", 1L), null);
        incoming.fail(reason, "the restore failed (test)");
        state.incoming = incoming;
        return incoming;
    }

    static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
