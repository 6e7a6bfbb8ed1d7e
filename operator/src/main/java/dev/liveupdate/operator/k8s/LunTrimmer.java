package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import java.util.function.UnaryOperator;

/**
 * Shrinks a LiveUpdateNode before it enters the informer cache: managedFields go (the largest part of a small
 * object), and of the agent's status only what the planner reads stays (phase, plan, observedGeneration, inventory,
 * blackout, last outcome, reason, message, staging). Sessions, registrations, conditions and the heartbeat time are dropped.
 *
 * <p>Metadata (annotations: ledger, outcomes) and spec stay whole: the operator replaces the object from this copy,
 * and a replace that leaves managedFields unset keeps the server's; status is not written through the main resource.
 */
public final class LunTrimmer implements UnaryOperator<LiveUpdateNode> {

    @Override
    public LiveUpdateNode apply(LiveUpdateNode full) {
        LiveUpdateNode t = new LiveUpdateNode();
        t.setMetadata(full.getMetadata());
        if (t.getMetadata() != null) {
            t.getMetadata().setManagedFields(null);
        }
        t.setSpec(full.getSpec());
        t.setStatus(full.getStatus() == null ? null : trimmedStatus(full.getStatus()));
        return t;
    }

    private static LiveUpdateNodeStatus trimmedStatus(LiveUpdateNodeStatus s) {
        LiveUpdateNodeStatus kept = new LiveUpdateNodeStatus();
        kept.setObservedGeneration(s.getObservedGeneration());
        kept.setPhase(s.getPhase());
        kept.setPlan(s.getPlan());
        kept.setInventory(s.getInventory());
        kept.setBlackout(s.getBlackout());
        kept.setLastUpdate(s.getLastUpdate());
        kept.setReason(s.getReason());
        kept.setMessage(s.getMessage());
        kept.setStaging(s.getStaging()); // kernel staging: preflight and the staging rule read it
        return kept;
    }

    /**
     * Whether an update changed anything the planner reads. The agent's heartbeat (lastReportTime) and session
     * details change often and wake no plan.
     */
    public static boolean plannerRelevantChange(LiveUpdateNode newer, LiveUpdateNode older) {
        return !fingerprint(newer).equals(fingerprint(older));
    }

    /** What the planner reads, as JSON; never mutates the object the informer hands out. */
    static String fingerprint(LiveUpdateNode l) {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        if (l.getMetadata() != null) {
            f.put("annotations", l.getMetadata().getAnnotations());
            f.put("generation", l.getMetadata().getGeneration());
            f.put("deletionTimestamp", l.getMetadata().getDeletionTimestamp());
        }
        f.put("spec", l.getSpec());
        f.put("status", l.getStatus() == null ? null : trimmedStatus(l.getStatus()));
        return JSON.asJson(f);
    }

    private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization JSON =
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
}
