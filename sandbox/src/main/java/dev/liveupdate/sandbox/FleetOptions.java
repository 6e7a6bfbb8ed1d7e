package dev.liveupdate.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the sandbox fleet is made.
 *
 * @param nodes   how many simulated nodes
 * @param abi     A, B or mixed (alternating, so both kernel ABI generations are exercised)
 * @param workDir where every process keeps its state and logs
 * @param faults  injected failures (see {@link Fault})
 * @param operators operator replicas; with more than one they elect a leader on a Lease and the others stand by
 * @param agentSettings extra agent settings for every node (e.g. liveupdate.agent.staging.allowed-url-prefixes)
 * @param chartValues   extra chart values for the install (e.g. agent.staging.allowedUrlPrefixes for the kernel policy)
 */
public record FleetOptions(int nodes, String abi, Path workDir, List<Fault> faults, Duration agentReadyTimeout,
        int operators, java.util.Map<String, String> agentSettings, java.util.Map<String, String> chartValues) {
    /**
     * Where the sandbox's agents stage URL kernels (liveupdate.agent.staging.dir): apart from {@link #KERNEL_DIR}, so a
     * staged kernel is visibly the downloaded one.
     */
    public static final String STAGING_DIR = "/var/lib/liveupdate/staged";
    /** The sandbox's default: a leader and a standby, as a production install runs. */
    public static final int DEFAULT_OPERATORS = 2;
    public static final String SESSION = "vm-memory";
    public static final String KERNEL_RELEASE = "7.2.0-sandbox";
    /**
     * The node's kernel directory: the agents' liveupdate.agent.kernel-dirs (they load kernels from here only) and the
     * chart's agent.kernelDirs for the fleet (the kernel policy admits plans whose kernel lies here).
     */
    public static final String KERNEL_DIR = "/var/lib/liveupdate/kernels";
    public static final String KERNEL_IMAGE = KERNEL_DIR + "/vmlinuz-7.2.0-sandbox";
    /** SHA-256 of the simulated image (its bytes are fixed by the release); the kernel policy requires it. */
    public static final String KERNEL_SHA256 = "e8ab2fc4587a55f56638e0c324a2825b35f11eca778b9890489ade6a87bb3c56";
    /**
     * A second kernel every node also has, for a plan after the first: the operator skips a node that already runs a
     * plan's release, so a second update of a node needs another release.
     */
    public static final String NEXT_KERNEL_RELEASE = "7.3.0-sandbox";
    public static final String NEXT_KERNEL_IMAGE = KERNEL_DIR + "/vmlinuz-7.3.0-sandbox";
    public static final String NEXT_KERNEL_SHA256 = "dc490482ccb33646098f2fb05c58e361413af0d2ddcbca781776e08acad692f1";
    public static final String POOL_LABEL = "pool";
    public static final String POOL = "vm-hosts";
    public static final String NAMESPACE = "liveupdate-system";

    public FleetOptions {
        if (nodes < 1 || nodes > 50) {
            throw new IllegalArgumentException("--nodes must be between 1 and 50 (each node runs a JVM agent and a workload)");
        }
        if (!List.of("A", "B", "mixed").contains(abi)) {
            throw new IllegalArgumentException("--abi must be A, B or mixed, not " + abi);
        }
        if (operators < 1 || operators > 3) {
            throw new IllegalArgumentException("--operators must be 1, 2 or 3 (each replica is a JVM)");
        }
        faults = List.copyOf(faults);
        agentSettings = java.util.Map.copyOf(agentSettings);
        chartValues = java.util.Map.copyOf(chartValues);
        for (Fault f : faults) {
            if (f.kind() == Fault.Kind.KILL_OPERATOR && operators < 2) {
                throw new IllegalArgumentException("--fault kill-operator needs a standby to take over: --operators 2 or more");
            }
            if (f.node() != null && java.util.stream.IntStream.range(0, nodes).mapToObj(FleetOptions::nodeName).noneMatch(f.node()::equals)) {
                throw new IllegalArgumentException("--fault " + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "="
                        + f.node() + " names no node of this fleet: the nodes are node-1" + (nodes > 1 ? " to " + nodeName(nodes - 1) : ""));
            }
        }
    }

    public FleetOptions(int nodes, String abi, Path workDir, List<Fault> faults, Duration agentReadyTimeout, int operators) {
        this(nodes, abi, workDir, faults, agentReadyTimeout, operators, java.util.Map.of(), java.util.Map.of());
    }

    /** The same fleet with extra agent settings and chart values (a kernel mirror, say). */
    public FleetOptions with(java.util.Map<String, String> agentSettings, java.util.Map<String, String> chartValues) {
        return new FleetOptions(nodes, abi, workDir, faults, agentReadyTimeout, operators, agentSettings, chartValues);
    }

    /** A fleet with one operator replica (no leader election), as the end-to-end scenarios written before HA run. */
    public FleetOptions(int nodes, String abi, Path workDir, List<Fault> faults, Duration agentReadyTimeout) {
        this(nodes, abi, workDir, faults, agentReadyTimeout, 1);
    }

    /** The ABI generation of the i-th node (0-based). */
    public String generationOf(int index) {
        return abi.equals("mixed") ? (index % 2 == 0 ? "A" : "B") : abi;
    }

    public static String nodeName(int index) {
        return String.format("node-%d", index + 1);
    }
}
