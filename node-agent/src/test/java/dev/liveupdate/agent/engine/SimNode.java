package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.api.v1alpha1.RestoreRule;
import dev.liveupdate.api.v1alpha1.RestoreSpec;
import dev.liveupdate.api.v1alpha1.RestoreTimeoutAction;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One simulated node for engine tests: a simulated machine (state dir), the agent's host state
 * dir, and the agent "process" = a SimulatedKernel instance plus a StepEngine. {@link #crash()}
 * kills the process the way the kernel sees it; {@link #boot()} starts a new one over the same
 * dirs. A simulated kexec surfaces as {@link KexecHappened}.
 */
final class SimNode {
    /** A host process of root (in no pod): the owner of the files most tests hand over. */
    static final Peer ROOT = new Peer(4242, 0, 0, new long[] {0}, Owner.host(0, "/"));
    static final String TARGET = "7.3.0-next";

    final Generation generation;
    final Path simDir;
    final Path agentDir;
    final Path image;
    final FakeStatusSink sink = new FakeStatusSink();
    final MutableClock clock = new MutableClock();
    /** Events the agent emitted, as "reason: message". */
    final List<String> eventLog = new java.util.ArrayList<>();
    final EventSink events = (warning, reason, message) -> eventLog.add(reason + ": " + message);
    SimulatedKernel sim;
    StepEngine engine;
    int kexecs;
    private long specGeneration;
    NodeInstruction instruction;
    boolean luoAvailable = true;
    /** What the next agent process asks about plans (invariant 8); tests swap in a {@link FakePlanAuthority}. */
    PlanAuthority plans = PlanAuthority.STANDALONE;
    /** Whether the pods that handed files over still exist, as the next agent process sees it. */
    OwnerPresence presence = OwnerPresence.UNKNOWN;
    /** What one workload may hold, in the next agent process. */
    WorkloadLimits limits = WorkloadLimits.DEFAULT;
    /** The staging directory of the next agent process (null: none), and its staging. */
    Path stagingDir;
    StagingPort staging = StagingPort.NONE;
    /** Wraps the next agent process's kernel calls (fault injection); identity by default. */
    java.util.function.UnaryOperator<dev.liveupdate.luo.sys.KernelCalls> calls = c -> c;

    static final class KexecHappened extends RuntimeException {
        KexecHappened() {
            super("simulated kexec: the old kernel ended this agent process");
        }
    }

    SimNode(Path root, Generation generation) throws IOException {
        this.generation = generation;
        this.simDir = root.resolve("machine");
        this.agentDir = root.resolve("agent-state");
        this.image = SimulatedKernel.writeImage(Files.createDirectories(root.resolve("boot")).resolve("vmlinuz-" + TARGET), TARGET);
    }

    /** The agent's settings on this node: kernels live in {@code <root>/boot}, seen directly (host root "/"). */
    EngineSettings settings() {
        return new EngineSettings("node-1", Path.of("/dev/liveupdate"), agentDir, RebootStrategy.Simulated, "test")
                .withKernelDirs(List.of(image.getParent())).withWorkloadLimits(limits).withStagingDir(stagingDir);
    }

    /** A new agent process on this node (after a crash or a kexec). */
    SimNode boot() {
        sim = SimulatedKernel.builder(simDir, generation).luoAvailable(luoAvailable).exitAction(status -> {
            kexecs++;
            throw new KexecHappened();
        }).build();
        engine = new StepEngine(settings(),
                calls.apply(sim), sim.hostInfo(), Kexec.through(sim), sink, events, clock, plans, presence);
        engine.useStaging(staging);
        engine.start(sink.last());
        if (instruction != null) {
            LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
            spec.setNodeName("node-1");
            spec.setInstruction(instruction);
            engine.onSpec(spec, specGeneration);
        }
        return this;
    }

    /** The agent process dies: every fd it had closes, as the kernel does it. */
    void crash() {
        sim.simulateProcessDeath();
        engine = null;
    }

    void instruct(NodeStep step) {
        instruct(step, planInstruction(step, session("vm", true, 1, null)));
    }

    void instruct(NodeStep step, NodeInstruction i) {
        i.setStep(step);
        instruction = i;
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName("node-1");
        spec.setInstruction(i);
        engine.onSpec(spec, ++specGeneration);
    }

    void clearInstruction() {
        instruction = null;
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName("node-1");
        engine.onSpec(spec, ++specGeneration);
    }

    NodeInstruction planInstruction(NodeStep step, SessionSpec... sessions) {
        NodeInstruction i = new NodeInstruction();
        PlanReference p = new PlanReference();
        p.setName("kernel-7-3");
        p.setUid("uid-1");
        p.setGeneration(1L);
        i.setPlan(p);
        i.setStep(step);
        KernelSpec k = new KernelSpec();
        k.setRelease(TARGET);
        k.setImage(image.toString());
        k.setSha256(sha256(image)); // the default kernel policy requires checksums
        i.setKernel(k);
        i.setSessions(List.of(sessions));
        i.setPrepareTimeout("5m");
        return i;
    }

    static SessionSpec session(String name, boolean required, int minFiles, RestoreSpec restore) {
        SessionSpec s = new SessionSpec();
        s.setName(name);
        s.setRequired(required);
        s.setMinFiles(minFiles);
        s.setRestore(restore);
        return s;
    }

    /** A process (pid, uid) in the pod with this UID. */
    static Peer podPeer(long pid, long uid, String podUid) {
        return new Peer(pid, uid, uid, new long[] {uid}, Owner.pod(podUid));
    }

    static RestoreSpec restore(RestoreRule rule, String timeout, RestoreTimeoutAction onTimeout) {
        RestoreSpec r = new RestoreSpec();
        r.setRule(rule);
        r.setTimeout(timeout);
        r.setOnTimeout(onTimeout);
        return r;
    }

    /** A workload's memfd with these bytes (a real fd in this JVM). */
    int memfd(byte[] content) {
        int fd = sim.memfdCreate("workload", 0);
        sim.write(fd, content, content.length);
        return fd;
    }

    byte[] read(int fd) {
        byte[] buf = new byte[1 << 20];
        int n = sim.pread(fd, buf, buf.length, 0);
        return java.util.Arrays.copyOf(buf, n);
    }

    String bootId() {
        return sim.hostInfo().bootId();
    }


    static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
