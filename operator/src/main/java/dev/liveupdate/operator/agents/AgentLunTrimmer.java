package dev.liveupdate.operator.agents;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.function.UnaryOperator;

/**
 * The agent rollout's cache of LiveUpdateNodes keeps only what {@link AgentViews#report} reads: the instruction's plan
 * and step, and of the status the phase, its plan, the reason, condition RestoreHeld and each session's name and
 * state. Nothing here is ever written back.
 */
public class AgentLunTrimmer extends TransformingItemStore<LiveUpdateNode> {
    public AgentLunTrimmer() {
        super(trim());
    }

    static UnaryOperator<LiveUpdateNode> trim() {
        return full -> {
            LiveUpdateNode t = new LiveUpdateNode();
            ObjectMeta m = new ObjectMeta();
            m.setName(full.getMetadata().getName());
            m.setUid(full.getMetadata().getUid());
            m.setResourceVersion(full.getMetadata().getResourceVersion());
            m.setGeneration(full.getMetadata().getGeneration());
            t.setMetadata(m);
            if (full.getSpec() != null) {
                LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
                spec.setNodeName(full.getSpec().getNodeName());
                NodeInstruction in = full.getSpec().getInstruction();
                if (in != null) {
                    NodeInstruction kept = new NodeInstruction();
                    kept.setPlan(in.getPlan());
                    kept.setStep(in.getStep());
                    spec.setInstruction(kept);
                }
                t.setSpec(spec);
            }
            LiveUpdateNodeStatus s = full.getStatus();
            if (s != null) {
                LiveUpdateNodeStatus kept = new LiveUpdateNodeStatus();
                kept.setPhase(s.getPhase());
                kept.setPlan(s.getPlan());
                kept.setReason(s.getReason());
                if (s.getConditions() != null) {
                    kept.setConditions(s.getConditions().stream()
                            .filter(c -> AgentViews.RESTORE_HELD.equals(c.getType())).toList());
                }
                if (s.getSessions() != null) {
                    kept.setSessions(s.getSessions().stream().map(x -> {
                        SessionStatus k = new SessionStatus();
                        k.setName(x.getName());
                        k.setState(x.getState());
                        return k;
                    }).toList());
                }
                t.setStatus(kept);
            }
            return t;
        };
    }
}
