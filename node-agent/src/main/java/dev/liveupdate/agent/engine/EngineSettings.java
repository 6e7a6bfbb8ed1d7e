package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import java.nio.file.Path;

/** The plain settings the engine needs (the Quarkus layer maps its config onto these). */
public record EngineSettings(String nodeName, Path devicePath, Path stateDir, RebootStrategy rebootStrategy, String agentVersion) {
}
