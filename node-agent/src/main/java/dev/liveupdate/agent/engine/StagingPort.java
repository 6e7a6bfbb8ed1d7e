package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import java.util.List;
import java.util.Optional;

/**
 * The agent's kernel staging as the engine sees it (implemented by {@code staging.KernelStaging}, which downloads on
 * its own thread): what to stage, what is staged, what was loaded (kept by the garbage collection).
 */
public interface StagingPort {
    /** The artifacts wanted now (the LiveUpdateNode's spec.stage and the instruction's URL kernel); the rest may go. */
    void request(List<StageRequest> wanted);

    /** status.staging: the wanted artifacts that started, with their state. */
    List<StagedArtifact> report();

    /** The state of one artifact, empty while it waits its turn (or is not wanted). */
    Optional<StagedArtifact> state(String sha256);

    /** A staged kernel (and initrd) was loaded: keep it as the running kernel's (and later the previous one's). */
    void loaded(List<String> sha256s);

    /** No staging on this agent (tests, and agents built without it): nothing is ever staged. */
    StagingPort NONE = new StagingPort() {
        @Override
        public void request(List<StageRequest> wanted) {
        }

        @Override
        public List<StagedArtifact> report() {
            return List.of();
        }

        @Override
        public Optional<StagedArtifact> state(String sha256) {
            return Optional.empty();
        }

        @Override
        public void loaded(List<String> sha256s) {
        }
    };
}
