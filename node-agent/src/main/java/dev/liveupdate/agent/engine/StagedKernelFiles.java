package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plan's URL kernel as files: the image (and initrd) staged under their SHA-256 in the staging directory, which the
 * loader opens like any host path beneath a kernel directory (confined, hashed through the fd, checked against the
 * plan's checksum again). A host-path kernel is what it says.
 */
final class StagedKernelFiles {
    private StagedKernelFiles() {
    }

    /** The kernel with image/initrd naming the staged files (a copy); the plan's own kernel when it names host paths. */
    static KernelSpec files(KernelSpec kernel, Path stagingDir) throws KernelRefused {
        if (kernel == null || !kernel.fromUrl()) {
            return kernel;
        }
        if (stagingDir == null) {
            throw new KernelRefused("KernelSourceNotAllowed", "this agent has no staging directory: it loads no kernel.url (agent setting liveupdate.agent.staging.dir)");
        }
        KernelSpec k = new KernelSpec();
        k.setRelease(kernel.getRelease());
        k.setCmdline(kernel.getCmdline());
        k.setSha256(kernel.getSha256());
        k.setInitrdSha256(kernel.getInitrdSha256());
        k.setImage(stagingDir.resolve(kernel.getSha256()).toString());
        if (kernel.getInitrdUrl() != null) {
            k.setInitrd(stagingDir.resolve(kernel.getInitrdSha256()).toString());
        }
        return k;
    }

    /** What a URL kernel needs staged (image, then initrd); empty for a host-path kernel. */
    static List<StageRequest> requests(KernelSpec kernel, String plan) {
        List<StageRequest> out = new ArrayList<>(2);
        if (kernel != null && kernel.fromUrl() && kernel.getSha256() != null) {
            out.add(new StageRequest(kernel.getUrl(), kernel.getSha256(), kernel.getAllowPlainHttp(), plan));
            if (kernel.getInitrdUrl() != null && kernel.getInitrdSha256() != null) {
                out.add(new StageRequest(kernel.getInitrdUrl(), kernel.getInitrdSha256(), kernel.getAllowPlainHttp(), plan));
            }
        }
        return out;
    }

    /** Staging failures no retry can mend while the agent runs (its settings or the plan must change): fail at once. */
    static final java.util.Set<String> PERMANENT = java.util.Set.of("KernelSourceNotAllowed", "InsecureUrl");

    /** True when an artifact failed for a {@link #PERMANENT} reason. */
    static boolean failedForGood(KernelSpec kernel, StagingPort staging) {
        for (StageRequest r : requests(kernel, null)) {
            Optional<StagedArtifact> s = staging.state(r.getSha256());
            if (s.isPresent() && s.get().getState() == StagingState.Failed && PERMANENT.contains(s.get().getReason())) {
                return true;
            }
        }
        return false;
    }

    /** Null when every artifact of the kernel is staged; otherwise why not yet (for the prepare step's progress or failure). */
    static String notStaged(KernelSpec kernel, StagingPort staging) {
        for (StageRequest r : requests(kernel, null)) {
            Optional<StagedArtifact> s = staging.state(r.getSha256());
            if (s.isEmpty()) {
                return r.getUrl() + " is not staged yet (queued)";
            }
            if (s.get().getState() != StagingState.Staged) {
                return r.getUrl() + " is not staged yet: " + s.get().getState()
                        + (s.get().getReason() == null ? "" : " " + s.get().getReason() + ": " + s.get().getMessage());
            }
        }
        return null;
    }
}
