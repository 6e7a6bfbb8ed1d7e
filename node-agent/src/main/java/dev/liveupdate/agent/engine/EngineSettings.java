package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import java.nio.file.Path;

/**
 * The plain settings the engine needs (the Quarkus layer maps its config onto these).
 *
 * @param hostRoot where the host's filesystem is visible to the agent: the plan's absolute host paths (kernel image,
 *                 initrd) are resolved under it ("/" when the agent sees the host directly, "/host" in a container
 *                 that mounts the host there, a per-node directory in the sandbox)
 */
public record EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion,
                             Path hostRoot) {

    public EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion) {
        this(nodeName, devicePath, stateDir, rebootStrategy, agentVersion, Path.of("/"));
    }

    /** A plan's absolute host path as this agent reaches it. */
    public Path hostPath(String absolute) {
        return hostRoot.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }
}
