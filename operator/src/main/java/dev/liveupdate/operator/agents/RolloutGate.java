package dev.liveupdate.operator.agents;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Optional;

/**
 * Whether this DaemonSet's outdated pods are the operator's to replace now: it must be the configured agent DaemonSet,
 * with updateStrategy OnDelete (under RollingUpdate the DaemonSet controller replaces pods itself), and the DaemonSet
 * controller must have observed its current generation (before that, the ControllerRevision of a new template may not
 * exist yet, and the pods would be compared with the previous one).
 */
public final class RolloutGate {
    static final String ON_DELETE = "OnDelete";

    private RolloutGate() {
    }

    /** Empty when the operator may act; else why not, for the log. */
    public static Optional<String> whyNot(DaemonSet ds) {
        String strategy = ds.getSpec() == null || ds.getSpec().getUpdateStrategy() == null ? null
                : ds.getSpec().getUpdateStrategy().getType();
        if (!ON_DELETE.equals(strategy)) {
            return Optional.of("updateStrategy " + (strategy == null ? "RollingUpdate (the default)" : strategy)
                    + ": the DaemonSet controller replaces agent pods itself, also on nodes in the middle of a plan");
        }
        Long observed = ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration();
        Long generation = ds.getMetadata().getGeneration();
        if (generation != null && (observed == null || observed < generation)) {
            return Optional.of("waiting for the DaemonSet controller to observe generation " + generation
                    + " (observed: " + (observed == null ? "none" : observed) + ")");
        }
        return Optional.empty();
    }
}
