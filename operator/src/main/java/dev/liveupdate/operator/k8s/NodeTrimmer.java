package dev.liveupdate.operator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import dev.liveupdate.operator.planning.NodeMaintenance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Shrinks a Node before it enters the informer cache to what the planner reads: name, uid, resourceVersion,
 * labels, our own annotations, spec.unschedulable, the Ready condition, the lifecycle conditions (KEP-5683: maintenance,
 * drain, shutdown) and nodeInfo bootID/kernelVersion. Images, managedFields, addresses, capacity, taints and the
 * other conditions are dropped, so 5,000 large Nodes cost a few
 * megabytes. The trimmed object is never written back (cordons are merge patches).
 */
public final class NodeTrimmer implements UnaryOperator<Node> {

    @Override
    public Node apply(Node full) {
        Node n = new Node();
        ObjectMeta m = new ObjectMeta();
        ObjectMeta src = full.getMetadata();
        m.setName(src.getName());
        m.setUid(src.getUid());
        m.setResourceVersion(src.getResourceVersion());
        m.setCreationTimestamp(src.getCreationTimestamp());
        m.setDeletionTimestamp(src.getDeletionTimestamp());
        m.setLabels(src.getLabels() == null ? Map.of() : src.getLabels());
        Map<String, String> ours = new HashMap<>();
        if (src.getAnnotations() != null) {
            src.getAnnotations().forEach((k, v) -> {
                if (k.startsWith("liveupdate.dev/")) {
                    ours.put(k, v);
                }
            });
        }
        m.setAnnotations(ours);
        n.setMetadata(m);
        NodeSpec spec = new NodeSpec();
        spec.setUnschedulable(full.getSpec() != null && Boolean.TRUE.equals(full.getSpec().getUnschedulable()));
        n.setSpec(spec);
        NodeStatus status = new NodeStatus();
        if (full.getStatus() != null) {
            if (full.getStatus().getConditions() != null) {
                List<NodeCondition> kept = new ArrayList<>();
                for (NodeCondition c : full.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType())) {
                        NodeCondition ready = new NodeCondition();
                        ready.setType("Ready");
                        ready.setStatus(c.getStatus());
                        ready.setLastTransitionTime(c.getLastTransitionTime()); // health gates: Ready for how long
                        kept.add(ready);
                    } else if (NodeMaintenance.TYPES.contains(c.getType())) {
                        NodeCondition lifecycle = new NodeCondition();
                        lifecycle.setType(c.getType());
                        lifecycle.setStatus(c.getStatus());
                        lifecycle.setReason(c.getReason());
                        lifecycle.setMessage(c.getMessage());
                        kept.add(lifecycle);
                    }
                }
                if (!kept.isEmpty()) {
                    status.setConditions(List.copyOf(kept));
                }
            }
            NodeSystemInfo info = full.getStatus().getNodeInfo();
            if (info != null) {
                NodeSystemInfo kept = new NodeSystemInfo();
                kept.setBootID(info.getBootID());
                kept.setKernelVersion(info.getKernelVersion());
                status.setNodeInfo(kept);
            }
        }
        n.setStatus(status);
        return n;
    }

    /** What the planner reads from a Node; an update that leaves it unchanged triggers nothing. */
    public record Fingerprint(Map<String, String> labels, Map<String, String> annotations, boolean unschedulable,
            boolean ready, java.time.Instant readySince, NodeMaintenance maintenance, String bootID, String kernel) {
        public static Fingerprint of(Node node) {
            Node t = new NodeTrimmer().apply(node);
            return new Fingerprint(t.getMetadata().getLabels(), t.getMetadata().getAnnotations(),
                    Boolean.TRUE.equals(t.getSpec().getUnschedulable()), Views.ready(t), Views.readySince(t),
                    Views.maintenance(t),
                    t.getStatus().getNodeInfo() == null ? null : t.getStatus().getNodeInfo().getBootID(),
                    t.getStatus().getNodeInfo() == null ? null : t.getStatus().getNodeInfo().getKernelVersion());
        }
    }
}
