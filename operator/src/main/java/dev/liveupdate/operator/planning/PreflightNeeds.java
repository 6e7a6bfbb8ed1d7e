package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.api.v1alpha1.StageRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plan needs from a node before its prepare, as fleet preflight checks it: the kernel files (and their
 * checksums when the plan gives them) and enough registered files for every required session's {@code minFiles}.
 */
public record PreflightNeeds(PreflightPolicy policy, String image, String imageSha256, String initrd,
        String initrdSha256, List<SessionNeed> sessions, List<StageRequest> stage) {

    /** A plan naming host paths (nothing to stage). */
    public PreflightNeeds(PreflightPolicy policy, String image, String imageSha256, String initrd, String initrdSha256,
            List<SessionNeed> sessions) {
        this(policy, image, imageSha256, initrd, initrdSha256, sessions, List.of());
    }

    /** The plan's kernel comes from URLs: each node must have {@link #stage} staged rather than host files. */
    public boolean staged() {
        return !stage.isEmpty();
    }

    /** A required session that needs {@code minFiles} distinct files handed over before the node counts as prepared. */
    public record SessionNeed(String name, int minFiles) {
    }

    public static final PreflightNeeds NONE = new PreflightNeeds(PreflightPolicy.Report, null, null, null, null, List.of(), List.of());

    static PreflightNeeds of(LiveUpdateSpec spec) {
        KernelSpec k = spec.getKernel() == null ? new KernelSpec() : spec.getKernel();
        PreflightPolicy policy = spec.getStrategy() == null || spec.getStrategy().getPreflight() == null
                ? PreflightPolicy.Halt : spec.getStrategy().getPreflight();
        List<SessionNeed> sessions = new ArrayList<>();
        if (spec.getSessions() != null) {
            for (SessionSpec s : spec.getSessions()) {
                int min = s.getMinFiles() == null ? 1 : s.getMinFiles();
                if (s.getName() != null && !Boolean.FALSE.equals(s.getRequired()) && min > 0) {
                    sessions.add(new SessionNeed(s.getName(), min));
                }
            }
        }
        return new PreflightNeeds(policy, k.getImage(), k.getSha256(), k.getInitrd(), k.getInitrdSha256(),
                List.copyOf(sessions), stageRequests(k));
    }

    /** What a URL kernel needs staged on each node: the image, then the initrd (the plan is named when written). */
    static List<StageRequest> stageRequests(KernelSpec k) {
        List<StageRequest> out = new ArrayList<>(2);
        if (k.fromUrl() && k.getSha256() != null) {
            out.add(new StageRequest(k.getUrl(), k.getSha256(), k.getAllowPlainHttp(), null));
            if (k.getInitrdUrl() != null && k.getInitrdSha256() != null) {
                out.add(new StageRequest(k.getInitrdUrl(), k.getInitrdSha256(), k.getAllowPlainHttp(), null));
            }
        }
        return List.copyOf(out);
    }
}
