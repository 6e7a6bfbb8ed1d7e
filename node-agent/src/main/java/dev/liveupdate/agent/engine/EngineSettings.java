package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import java.nio.file.Path;
import java.util.List;

/**
 * The plain settings the engine needs (the Quarkus layer maps its config onto these).
 *
 * @param hostRoot   where the host's filesystem is visible to the agent ("/" when the agent sees the host directly,
 *                   "/host" in a container that mounts the host's kernel directories there, a per-node directory in
 *                   the sandbox)
 * @param kernelDirs the host directories (absolute, as plans name them, e.g. /boot) beneath which the agent opens a
 *                   plan's kernel image and initrd, each reached at {@code <hostRoot><dir>}; nothing outside them is
 *                   ever loaded (safety invariant 11, {@link KernelDirectories})
 * @param kernelPolicy the admin's kernel policy, checked before every load (default: the chart's defaults)
 * @param workloadLimits what one workload may hold through the socket, and the grace before a gone pod's files go
 * @param stagingDir the host directory URL kernels are staged in (named by SHA-256) and loaded from; null: none
 */
public record EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion,
                             Path hostRoot, List<Path> kernelDirs, KernelPolicy kernelPolicy, WorkloadLimits workloadLimits, Path stagingDir) {
    /** The default kernel directory: where distributions install kernels. */
    public static final List<Path> DEFAULT_KERNEL_DIRS = List.of(Path.of("/boot"));

    public EngineSettings {
        kernelDirs = List.copyOf(kernelDirs);
        java.util.Objects.requireNonNull(kernelPolicy, "kernelPolicy");
        java.util.Objects.requireNonNull(workloadLimits, "workloadLimits");
        if (stagingDir != null && (!stagingDir.isAbsolute() || !stagingDir.normalize().equals(stagingDir))) {
            throw new IllegalArgumentException("staging directory " + stagingDir + " must be an absolute host path without . or ..");
        }
        if (kernelDirs.isEmpty()) {
            throw new IllegalArgumentException("no kernel directory configured: the agent could load no kernel");
        }
        for (Path dir : kernelDirs) {
            if (!dir.isAbsolute() || !dir.normalize().equals(dir)) {
                throw new IllegalArgumentException("kernel directory " + dir + " must be an absolute host path without . or ..");
            }
        }
    }

    /** Without a staging directory: URL kernels are refused. */
    public EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion,
                          Path hostRoot, List<Path> kernelDirs, KernelPolicy kernelPolicy, WorkloadLimits workloadLimits) {
        this(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, hostRoot, kernelDirs, kernelPolicy, workloadLimits, null);
    }

    /**
     * Where the agent loads kernels from: the kernel directories and the staging directory (the host path a staged
     * kernel is opened under, like any kernel directory; only the agent writes there).
     */
    public List<Path> loadDirs() {
        if (stagingDir == null || kernelDirs.contains(stagingDir)) {
            return kernelDirs;
        }
        List<Path> all = new java.util.ArrayList<>(kernelDirs);
        all.add(stagingDir);
        return List.copyOf(all);
    }

    public EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion) {
        this(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, Path.of("/"), DEFAULT_KERNEL_DIRS, KernelPolicy.DEFAULT,
                WorkloadLimits.DEFAULT);
    }

    /** The same settings with other kernel directories. */
    public EngineSettings withKernelDirs(List<Path> dirs) {
        return new EngineSettings(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, hostRoot, dirs, kernelPolicy, workloadLimits, stagingDir);
    }

    /** The same settings with a staging directory. */
    public EngineSettings withStagingDir(Path dir) {
        return new EngineSettings(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, hostRoot, kernelDirs, kernelPolicy, workloadLimits, dir);
    }

    /** The same settings with another kernel policy. */
    public EngineSettings withKernelPolicy(KernelPolicy policy) {
        return new EngineSettings(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, hostRoot, kernelDirs, policy, workloadLimits, stagingDir);
    }

    /** The same settings with other workload limits. */
    public EngineSettings withWorkloadLimits(WorkloadLimits limits) {
        return new EngineSettings(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, hostRoot, kernelDirs, kernelPolicy, limits, stagingDir);
    }
}
