package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A plan's nodes from the LiveUpdateNodes: the ones it holds or held (instruction, agent report or operator note). */
final class NodeRows {
    /** The agent's condition while a failed restore keeps its files in the kernel (node-agent HeldRestore). */
    static final String RESTORE_HELD = "RestoreHeld";

    private NodeRows() {
    }

    static List<NodeRow> of(String planUid, List<LiveUpdateNode> luns) {
        return luns.stream().map(l -> row(planUid, l)).filter(Objects::nonNull)
                .sorted(Comparator.comparing((NodeRow r) -> r.wave() == null ? Integer.MAX_VALUE : r.wave())
                        .thenComparing(NodeRow::node))
                .toList();
    }

    /** The node's row for this plan, or null when the plan never touched it. */
    static NodeRow row(String planUid, LiveUpdateNode lun) {
        NodeInstruction instruction = lun.getSpec() == null ? null : lun.getSpec().getInstruction();
        boolean held = instruction != null && samePlan(instruction.getPlan(), planUid);
        LiveUpdateNodeStatus st = lun.getStatus();
        boolean reported = st != null && samePlan(st.getPlan(), planUid);
        OperatorNotes notes = OperatorNotes.of(lun, planUid);
        if (!held && !reported && !notes.any()) {
            return null;
        }
        String step = held && instruction.getStep() != null ? instruction.getStep().name() : null;
        String phase;
        String reason;
        String message;
        if (reported && st.getPhase() != null) {
            phase = st.getPhase().name();
            reason = st.getReason();
            message = st.getMessage();
        } else {
            phase = notes.result();
            reason = notes.reason();
            message = notes.message();
        }
        if (!held && notes.result() != null && !"Finished".equals(phase)) {
            // Released: the operator's outcome is the plan's verdict on this node.
            phase = notes.result();
            reason = notes.reason() != null ? notes.reason() : reason;
            message = notes.message() != null ? notes.message() : message;
        }
        return new NodeRow(lun.getMetadata().getName(), notes.wave(), step, phase, reason, message,
                blackoutMillis(planUid, st, notes), restoreHeld(st));
    }

    static boolean restoreHeld(LiveUpdateNodeStatus st) {
        return condition(st, RESTORE_HELD) != null;
    }

    /** The True condition of this type, or null. */
    static Condition condition(LiveUpdateNodeStatus st, String type) {
        if (st == null || st.getConditions() == null) {
            return null;
        }
        return st.getConditions().stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    private static Long blackoutMillis(String planUid, LiveUpdateNodeStatus st, OperatorNotes notes) {
        if (st != null && samePlan(st.getPlan(), planUid) && st.getBlackout() != null
                && st.getBlackout().getDurationMillis() != null) {
            return st.getBlackout().getDurationMillis();
        }
        if (notes.blackoutMillis() != null) {
            return notes.blackoutMillis();
        }
        if (st != null && st.getLastUpdate() != null && samePlan(st.getLastUpdate().getPlan(), planUid)) {
            return st.getLastUpdate().getBlackoutMillis();
        }
        return null;
    }

    private static boolean samePlan(PlanReference ref, String planUid) {
        return ref != null && planUid != null && planUid.equals(ref.getUid());
    }
}
