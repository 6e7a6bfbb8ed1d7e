package dev.liveupdate.sandbox;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.HostInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One simulated node: a machine directory for the kernel simulator, a root directory standing for the host's
 * filesystem, the node agent process and a workload process. The sandbox plays the parts a real node has outside our
 * code: the kernel ending every process at kexec, and the kubelet restarting the agent and reporting the new boot.
 */
public final class SimulatedNode {
    public static final String INITIAL_RELEASE = "6.12.0-sandbox";

    private final String name;
    private final Generation generation;
    private final Path dir;
    private final FleetLayout layout;
    private final Path kubeconfig;
    private ManagedProcess agent;
    private ManagedProcess workload;
    private String bootId;
    private int boots = 1;
    private int agentRestarts;
    private boolean imageMissing;
    /** The no-reclaim fault: after a kexec the workload is not started again, so nobody takes its memfd back. */
    private volatile boolean noReclaim;
    /** How the sample workload answers freeze notices: auto, or never (fault freeze-no-ack). */
    private volatile String freezeAck = "auto";
    /** A kexec happened while {@link #noReclaim} held: the workload's process ended and was not restarted. */
    private volatile boolean workloadHeldBack;
    /** Phase after which the next agent start dies (the kill-agent fault), until that start consumes it. */
    private String haltArmed;
    private Map<String, String> extraSettings = Map.of();
    /** Phase the running agent was started to die after. */
    private String haltInRunningAgent;

    SimulatedNode(String name, Generation generation, Path dir, FleetLayout layout, Path kubeconfig) {
        this.name = name;
        this.generation = generation;
        this.dir = dir;
        this.layout = layout;
        this.kubeconfig = kubeconfig;
    }

    public String name() {
        return name;
    }

    public Generation generation() {
        return generation;
    }

    public Path root() {
        return dir.resolve("root");
    }

    Path machineDir() {
        return dir.resolve("machine");
    }

    public Path socket() {
        return root().resolve("run/liveupdate/agent.sock");
    }

    Path workloadRecord() {
        return dir.resolve("workload.properties");
    }

    public String bootId() {
        return bootId;
    }

    public int boots() {
        return boots;
    }

    public int agentRestarts() {
        return agentRestarts;
    }

    public ManagedProcess agent() {
        return agent;
    }

    public ManagedProcess workload() {
        return workload;
    }

    /** Cold-boots the simulated machine and lays out the host files the plan names. */
    HostInfo coldBoot(boolean withKernelImage) throws IOException {
        Files.createDirectories(root().resolve("run/liveupdate"));
        Files.createDirectories(root().resolve("var/lib/liveupdate/agent"));
        Path image = root().resolve(FleetOptions.KERNEL_IMAGE.substring(1));
        Files.createDirectories(image.getParent());
        if (withKernelImage) {
            SimulatedKernel.writeImage(image, FleetOptions.KERNEL_RELEASE);
            SimulatedKernel.writeImage(root().resolve(FleetOptions.NEXT_KERNEL_IMAGE.substring(1)), FleetOptions.NEXT_KERNEL_RELEASE);
        }
        imageMissing = !withKernelImage;
        HostInfo host = machine();
        bootId = host.bootId();
        return host;
    }

    /** The machine's current boot, read from the simulator's state directory. */
    HostInfo machine() {
        return SimulatedKernel.builder(machineDir(), generation).initialRelease(INITIAL_RELEASE).build().hostInfo();
    }

    boolean imageMissing() {
        return imageMissing;
    }

    /**
     * After a kexec the sandbox starts the agent but not the workload (the sandbox's no-reclaim fault). Public so a
     * scenario can arm it mid-run (GuideIT: only the guide's failing plan meets it).
     */
    public void holdBackWorkloadAfterKexec() {
        noReclaim = true;
    }

    /** The workload subscribes to freeze notices but never acknowledges them (the sandbox's freeze-no-ack fault). */
    void neverAckFreeze() {
        freezeAck = "never";
    }

    /** Whether the no-reclaim fault applies to this node. */
    public boolean noReclaim() {
        return noReclaim;
    }

    /**
     * What the node's workload last showed: {@link WorkloadState#NOT_RESTARTED} once a kexec ended it under the
     * no-reclaim fault (its log still ends with the old boot's line), otherwise the latest milestone in its log.
     */
    public WorkloadState workloadState() {
        if (workloadHeldBack) {
            return WorkloadState.NOT_RESTARTED;
        }
        return workload == null ? WorkloadState.STARTING : WorkloadState.fromLog(workload.log());
    }

    /** The next agent start dies right after reporting {@code phase}, once (the sandbox's kill-agent fault). */
    void armHaltAfter(String phase) {
        haltArmed = phase;
    }

    /** The phase after which the agent that just exited was set to die, if it was; consumed by the call. */
    java.util.Optional<String> takeInjectedHalt() {
        String phase = haltInRunningAgent;
        haltInRunningAgent = null;
        return java.util.Optional.ofNullable(phase);
    }

    /** Extra agent settings (name without -D, value) for every later agent start. */
    void agentSettings(Map<String, String> settings) {
        extraSettings = Map.copyOf(settings);
    }

    void startAgent() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(),
                "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.port=0",
                "-Dliveupdate.agent.node-name=" + name,
                "-Dliveupdate.agent.reboot-strategy=simulated",
                "-Dliveupdate.agent.simulator.state-dir=" + machineDir(),
                "-Dliveupdate.agent.simulator.generation=" + generation.name(),
                "-Dliveupdate.agent.simulator.initial-release=" + INITIAL_RELEASE,
                "-Dliveupdate.agent.host-root=" + root(),
                "-Dliveupdate.agent.kernel-dirs=" + FleetOptions.KERNEL_DIR,
                "-Dliveupdate.agent.state-dir=" + root().resolve("var/lib/liveupdate/agent"),
                "-Dliveupdate.agent.staging.dir=" + FleetOptions.STAGING_DIR,
                "-Dliveupdate.agent.socket.path=" + socket()));
        extraSettings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        haltInRunningAgent = haltArmed;
        if (haltArmed != null) {
            command.add("-Dliveupdate.agent.simulator.halt-after-phase=" + haltArmed);
            haltArmed = null;
        }
        command.addAll(List.of("-jar", layout.agentJar().toString()));
        agent = ManagedProcess.start("agent-" + name, command,
                Map.of("KUBECONFIG", kubeconfig.toString(), "NODE_NAME", name), dir, dir.resolve("logs/agent.log"));
    }

    /** Starts the sample workload: before the update it preserves a memfd of random bytes, after it verifies them. */
    void startWorkload(boolean afterUpdate) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-cp", layout.clientClassPath(), "dev.liveupdate.client.cli.LuClient"));
        if (afterUpdate) {
            command.addAll(List.of("workload-verify", "--socket", socket().toString(), "--record", workloadRecord().toString(),
                    "--timeout", "10m", "--freeze"));
        } else {
            command.addAll(List.of("workload", "--socket", socket().toString(), "--session", FleetOptions.SESSION,
                    "--token", "1", "--bytes", "1M", "--record", workloadRecord().toString(), "--then-verify", "--timeout", "30m",
                    "--freeze", "--freeze-ack", freezeAck));
        }
        // The sandbox's agents run as the sandbox's own user, not root: tell the workload's client (lu-client's
        // AgentIdentity checks the socket's server with SO_PEERCRED) that this uid is the agent's.
        workload = ManagedProcess.start("workload-" + name, command, Map.of("LIVEUPDATE_AGENT_UID", String.valueOf(ownUid())), dir,
                dir.resolve("logs/workload.log"));
    }

    /**
     * Called when the agent process ended. A changed boot ID means the simulated kexec happened: the old kernel ends
     * every process of the node (the workload too), then the node comes up in the new kernel and the kubelet starts
     * the agent and the workload again (not the workload under the no-reclaim fault). Otherwise the agent crashed or
     * was killed, and only it restarts.
     *
     * @return true when the node rebooted
     */
    boolean onAgentExit() throws IOException {
        String nowBoot = machine().bootId();
        boolean rebooted = !nowBoot.equals(bootId);
        if (rebooted) {
            if (workload != null) {
                workload.kill();
            }
            bootId = nowBoot;
            boots++;
            startAgent();
            if (noReclaim) {
                workloadHeldBack = true;
            } else {
                startWorkload(true);
            }
        } else {
            agentRestarts++;
            startAgent();
        }
        return rebooted;
    }

    void stop(Duration grace) {
        if (workload != null) {
            workload.stop(grace);
        }
        if (agent != null) {
            agent.stop(grace);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
