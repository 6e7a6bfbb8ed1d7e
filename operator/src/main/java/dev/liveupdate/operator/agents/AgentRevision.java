package dev.liveupdate.operator.agents;

import java.util.Map;

/**
 * Which pod template the DaemonSet wants, and whether a pod runs it: the DaemonSet controller's own test
 * (daemonutil.IsPodUpdated), so a pod counts as outdated exactly when that controller would replace it under
 * RollingUpdate.
 *
 * <p>The primary test is the pod's {@code controller-revision-hash} label against the hash of the DaemonSet's current
 * ControllerRevision (the one with the highest revision; the controller renumbers a reused one when it rolls back).
 * The hash names the template itself, so a rollback to an earlier template leaves the pods that already run it alone.
 * The {@code pod-template-generation} label is the fallback, compared with the DaemonSet's template generation
 * (annotation {@code deprecated.daemonset.template.generation}), never with {@code metadata.generation}: the API
 * server raises metadata.generation on any spec change (updateStrategy, minReadySeconds, ...) but the template
 * generation only when the template changes, so after such a change every pod, even a brand-new one, would look
 * outdated and be replaced again and again.
 *
 * @param hash               hash of the current ControllerRevision (null when none is known)
 * @param templateGeneration the DaemonSet's template generation (null when it carries none)
 */
public record AgentRevision(String hash, String templateGeneration) {
    public static final String HASH_LABEL = "controller-revision-hash";
    public static final String GENERATION_LABEL = "pod-template-generation";
    public static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    /** Whether anything is known to compare pods with. */
    public boolean known() {
        return hash != null || templateGeneration != null;
    }

    /** Whether a pod with these labels runs an older template than the DaemonSet's. */
    public boolean outdated(Map<String, String> podLabels) {
        Map<String, String> labels = podLabels == null ? Map.of() : podLabels;
        boolean hashMatches = hash != null && hash.equals(labels.get(HASH_LABEL));
        boolean generationMatches = templateGeneration != null
                && templateGeneration.equals(labels.get(GENERATION_LABEL));
        return known() && !hashMatches && !generationMatches;
    }

    /** The pod's revision, for messages. */
    public static String of(Map<String, String> podLabels) {
        if (podLabels == null) {
            return "unknown";
        }
        return podLabels.getOrDefault(HASH_LABEL, "generation " + podLabels.getOrDefault(GENERATION_LABEL, "unknown"));
    }

    @Override
    public String toString() {
        return hash != null ? hash : "generation " + templateGeneration;
    }
}
