package dev.liveupdate.operator.agents;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * The agent rollout's cache of the pods in its namespace keeps what {@link AgentViews#pod} and the owner mapping read:
 * name, labels, owner references, deletion mark, node and the Ready condition (a full pod is kilobytes, times one per
 * node).
 */
public class AgentPodTrimmer extends TransformingItemStore<Pod> {
    public AgentPodTrimmer() {
        super(full -> {
            Pod t = new Pod();
            ObjectMeta m = new ObjectMeta();
            m.setName(full.getMetadata().getName());
            m.setNamespace(full.getMetadata().getNamespace());
            m.setUid(full.getMetadata().getUid());
            m.setResourceVersion(full.getMetadata().getResourceVersion());
            m.setLabels(full.getMetadata().getLabels());
            m.setOwnerReferences(full.getMetadata().getOwnerReferences());
            m.setDeletionTimestamp(full.getMetadata().getDeletionTimestamp());
            t.setMetadata(m);
            PodSpec spec = new PodSpec();
            spec.setNodeName(full.getSpec() == null ? null : full.getSpec().getNodeName());
            t.setSpec(spec);
            if (full.getStatus() != null) {
                PodStatus s = new PodStatus();
                s.setPhase(full.getStatus().getPhase());
                if (full.getStatus().getConditions() != null) {
                    s.setConditions(full.getStatus().getConditions().stream()
                            .filter(c -> "Ready".equals(c.getType())).toList());
                }
                t.setStatus(s);
            }
            return t;
        });
    }
}
