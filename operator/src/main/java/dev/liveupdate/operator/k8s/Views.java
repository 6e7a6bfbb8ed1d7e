package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.operator.planning.AgentReport;
import dev.liveupdate.operator.planning.LunView;
import dev.liveupdate.operator.planning.NodeMaintenance;
import dev.liveupdate.operator.planning.NodeView;
import dev.liveupdate.operator.planning.Outcome;
import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns cached Kubernetes objects into the planner's views. */
public final class Views {
    /** Where boot ID and kernel release come from (see {@code liveupdate.operator.boot-identity}). */
    public enum BootIdentity { AUTO, NODE_INFO, AGENT }

    private Views() {
    }

    public static boolean ready(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static NodeView node(Node n, LiveUpdateNode lun, BootIdentity source) {
        String boot = null;
        String kernel = null;
        boolean fromNode = source == BootIdentity.NODE_INFO || source == BootIdentity.AUTO
                && n.getStatus() != null && n.getStatus().getNodeInfo() != null
                && notBlank(n.getStatus().getNodeInfo().getBootID());
        if (fromNode && n.getStatus() != null && n.getStatus().getNodeInfo() != null) {
            boot = n.getStatus().getNodeInfo().getBootID();
            kernel = n.getStatus().getNodeInfo().getKernelVersion();
        } else if (!fromNode && lun != null && lun.getStatus() != null && lun.getStatus().getInventory() != null) {
            boot = lun.getStatus().getInventory().getBootID();
            kernel = lun.getStatus().getInventory().getKernelRelease();
        }
        Map<String, String> ann = n.getMetadata().getAnnotations();
        return new NodeView(n.getMetadata().getName(), n.getMetadata().getLabels(), ready(n),
                n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()),
                ann == null ? null : ann.get(Annotations.CORDONED_BY), boot, kernel,
                n.getMetadata().getResourceVersion(),
                createdAt(n), maintenance(n), readySince(n));
    }

    /** When the Ready condition last changed, if the Node says (kept by {@link NodeTrimmer}). */
    public static java.time.Instant readySince(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return null;
        }
        for (var c : n.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && c.getLastTransitionTime() != null) {
                try {
                    return java.time.Instant.parse(c.getLastTransitionTime());
                } catch (java.time.format.DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The Node's lifecycle conditions: the first another actor holds True, and the ones we set True. */
    public static NodeMaintenance maintenance(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return NodeMaintenance.NONE;
        }
        String byOthers = null;
        Map<String, String> ours = new HashMap<>();
        java.util.Set<String> othersTrue = new java.util.HashSet<>();
        for (var c : n.getStatus().getConditions()) {
            if (!NodeMaintenance.TYPES.contains(c.getType()) || !"True".equals(c.getStatus())) {
                continue;
            }
            if (NodeMaintenance.ours(c.getReason())) {
                ours.put(c.getType(), c.getMessage() == null ? "" : c.getMessage());
                continue;
            }
            othersTrue.add(c.getType());
            if (byOthers == null && NodeMaintenance.HOLDING_TYPES.contains(c.getType())) {
                byOthers = c.getType() + " (" + (c.getReason() == null ? "no reason" : c.getReason())
                        + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage()) + ")";
            }
        }
        return ours.isEmpty() && othersTrue.isEmpty() ? NodeMaintenance.NONE
                : new NodeMaintenance(byOthers, ours, othersTrue);
    }

    public static LunView lun(LiveUpdateNode l) {
        NodeInstruction in = l.getSpec() == null ? null : l.getSpec().getInstruction();
        Map<String, String> ann = l.getMetadata().getAnnotations() == null ? Map.of() : l.getMetadata().getAnnotations();
        Map<String, Outcome> outcomes = new HashMap<>();
        ann.forEach((k, v) -> {
            if (k.startsWith(Annotations.OUTCOME_PREFIX)) {
                Outcome o = LedgerCodec.decodeOutcome(v);
                if (o != null) {
                    outcomes.put(k.substring(Annotations.OUTCOME_PREFIX.length()), o);
                }
            }
        });
        long gen = l.getMetadata().getGeneration() == null ? 0 : l.getMetadata().getGeneration();
        return new LunView(l.getMetadata().getName(), gen, l.getMetadata().getResourceVersion(),
                in == null || in.getPlan() == null ? null : in.getPlan().getUid(),
                in == null || in.getPlan() == null ? null : in.getPlan().getName(),
                in == null ? null : in.getStep(), LedgerCodec.decodeLedger(ann.get(Annotations.LEDGER)),
                agent(l.getStatus()), outcomes, l.getSpec() == null || l.getSpec().getStage() == null ? List.of() : l.getSpec().getStage());
    }

    static AgentReport agent(LiveUpdateNodeStatus s) {
        if (s == null) {
            return null;
        }
        var inv = s.getInventory();
        var last = s.getLastUpdate();
        return new AgentReport(s.getPhase(), s.getPlan() == null ? null : s.getPlan().getUid(),
                s.getObservedGeneration(), inv == null ? null : inv.getCapable(), inv == null ? null : inv.getReason(),
                inv == null ? null : inv.getBootID(), inv == null ? null : inv.getKernelRelease(), s.getReason(),
                s.getMessage(), s.getBlackout() == null ? null : s.getBlackout().getDurationMillis(),
                last == null || last.getPlan() == null ? null : last.getPlan().getUid(),
                last == null ? null : last.getResult(), s.getPrepareRestarts(), inv == null ? null : inv.getPreflight(),
                s.getStaging());
    }

    private static java.time.Instant createdAt(Node n) {
        String t = n.getMetadata().getCreationTimestamp();
        try {
            return t == null || t.isBlank() ? null : java.time.Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
