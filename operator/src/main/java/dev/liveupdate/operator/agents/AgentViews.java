package dev.liveupdate.operator.agents;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.SessionState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The Kubernetes objects of the agent rollout, flattened into what {@link AgentReplacements} decides on. */
public final class AgentViews {
    static final String RESTORE_HELD = "RestoreHeld";

    private AgentViews() {
    }

    /**
     * The DaemonSet's current template: the hash of its ControllerRevision with the highest revision (the DaemonSet
     * controller renumbers the revision it reuses on a rollback), and its template generation.
     */
    public static AgentRevision revision(DaemonSet ds, Collection<ControllerRevision> owned) {
        String hash = owned.stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparing(r -> r.getRevision() == null ? 0L : r.getRevision()))
                .map(r -> r.getMetadata().getLabels() == null ? null
                        : r.getMetadata().getLabels().get(AgentRevision.HASH_LABEL))
                .orElse(null);
        Map<String, String> ann = ds.getMetadata().getAnnotations();
        return new AgentRevision(hash, ann == null ? null : ann.get(AgentRevision.TEMPLATE_GENERATION_ANNOTATION));
    }

    public static AgentPod pod(Pod p, AgentRevision current) {
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new AgentPod(p.getMetadata().getName(), p.getSpec() == null ? null : p.getSpec().getNodeName(),
                current.outdated(p.getMetadata().getLabels()), ready, p.getMetadata().getDeletionTimestamp() != null);
    }

    public static AgentNodeReport report(LiveUpdateNode l) {
        NodeInstruction in = l.getSpec() == null ? null : l.getSpec().getInstruction();
        LiveUpdateNodeStatus s = l.getStatus();
        boolean restoreHeld = s != null && s.getConditions() != null && s.getConditions().stream()
                .anyMatch(c -> RESTORE_HELD.equals(c.getType()) && "True".equals(c.getStatus()));
        List<String> held = s == null || s.getSessions() == null ? List.of() : s.getSessions().stream()
                .filter(x -> x.getState() == SessionState.Created || x.getState() == SessionState.Retrieved)
                .map(x -> x.getName()).toList();
        return new AgentNodeReport(l.getMetadata().getName(),
                in == null || in.getPlan() == null ? null : in.getPlan().getName(), in == null ? null : in.getStep(),
                s == null ? null : s.getPhase(), s == null || s.getPlan() == null ? null : s.getPlan().getName(),
                s == null ? null : s.getReason(), restoreHeld, held);
    }
}
