package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodeCounts;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Plain model objects as the operator and agents write them, for the renderers and the ITs. */
final class Fixtures {
    private Fixtures() {
    }

    static LiveUpdate plan(String name, String uid) {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).withGeneration(1L).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelector());
        KernelSpec k = new KernelSpec();
        k.setRelease("7.2.0-1-amd64");
        k.setImage("/boot/vmlinuz-7.2.0-1-amd64");
        spec.setKernel(k);
        lu.setSpec(spec);
        return lu;
    }

    static LiveUpdateStatus status(LiveUpdate lu, PlanPhase phase) {
        LiveUpdateStatus st = new LiveUpdateStatus();
        st.setPhase(phase);
        st.setObservedGeneration(lu.getMetadata().getGeneration());
        st.setConditions(new ArrayList<>());
        lu.setStatus(st);
        return st;
    }

    static NodeCounts counts(int total, int finished, int failed, int preparing) {
        NodeCounts c = new NodeCounts();
        c.setTotal(total);
        c.setFinished(finished);
        c.setFailed(failed);
        c.setPreparing(preparing);
        return c;
    }

    static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime("2026-12-07T10:00:00Z").build();
    }

    static FailedNode failed(String node, String reason, String message, String phase) {
        FailedNode f = new FailedNode();
        f.setNode(node);
        f.setReason(reason);
        f.setMessage(message);
        f.setPhase(phase);
        f.setTime("2026-12-07T10:00:00Z");
        return f;
    }

    static PlanReference ref(String name, String uid) {
        PlanReference r = new PlanReference();
        r.setName(name);
        r.setUid(uid);
        r.setGeneration(1L);
        return r;
    }

    static LiveUpdateNode node(String name) {
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(name).withAnnotations(new HashMap<>()).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        lun.setSpec(spec);
        lun.setStatus(new LiveUpdateNodeStatus());
        return lun;
    }

    /** The operator holds the node for the plan: instruction plus ledger note with its wave. */
    static LiveUpdateNode held(LiveUpdateNode lun, LiveUpdate plan, NodeStep step, int wave) {
        NodeInstruction i = new NodeInstruction();
        i.setPlan(ref(plan.getMetadata().getName(), plan.getMetadata().getUid()));
        i.setStep(step);
        i.setKernel(plan.getSpec().getKernel());
        lun.getSpec().setInstruction(i);
        lun.getMetadata().getAnnotations().put(LiveUpdateNode.LEDGER_ANNOTATION,
                "{\"plan\":\"" + plan.getMetadata().getUid() + "\",\"wave\":" + wave + ",\"startedAt\":\"2026-12-07T10:00:00Z\"}");
        return lun;
    }

    /** The operator released the node with an outcome note. */
    static LiveUpdateNode outcome(LiveUpdateNode lun, LiveUpdate plan, String result, String reason, int wave, Long blackoutMillis) {
        lun.getMetadata().getAnnotations().put(LiveUpdateNode.OUTCOME_ANNOTATION_PREFIX + plan.getMetadata().getUid(),
                "{\"result\":\"" + result + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + ",\"wave\":" + wave
                        + (blackoutMillis == null ? "" : ",\"blackoutMillis\":" + blackoutMillis) + ",\"rebooted\":true}");
        return lun;
    }

    /** The agent reports a phase for the plan. */
    static LiveUpdateNode reports(LiveUpdateNode lun, LiveUpdate plan, NodePhase phase, String reason, String message) {
        LiveUpdateNodeStatus st = lun.getStatus();
        st.setPlan(ref(plan.getMetadata().getName(), plan.getMetadata().getUid()));
        st.setPhase(phase);
        st.setReason(reason);
        st.setMessage(message);
        return lun;
    }

    static LiveUpdateNode blackout(LiveUpdateNode lun, long millis) {
        Blackout b = new Blackout();
        b.setDurationMillis(millis);
        lun.getStatus().setBlackout(b);
        return lun;
    }

    /** The agent's RestoreHeld condition, worded as node-agent's HeldRestore words it. */
    static LiveUpdateNode restoreHeld(LiveUpdateNode lun, String planName, String planUid, String reason) {
        String name = lun.getMetadata().getName();
        List<Condition> cs = lun.getStatus().getConditions() == null ? new ArrayList<>() : new ArrayList<>(lun.getStatus().getConditions());
        cs.add(condition("RestoreHeld", "True", reason, "the kernel still holds the files of plan " + planName + " (uid " + planUid
                + ") whose restore failed (" + reason + "); workloads can retrieve them; release with: kubectl annotate lun "
                + name + " " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=" + planUid));
        lun.getStatus().setConditions(cs);
        return lun;
    }
}
