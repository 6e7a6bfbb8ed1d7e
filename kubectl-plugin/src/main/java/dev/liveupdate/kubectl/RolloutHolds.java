package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What holds a rollout back and why, from what the operator and agents wrote: spec.paused and cancel, the Stalled,
 * Conflict and SpecValid conditions, what Progressing waits for, blocking preflight findings, the soak, and restores
 * held on its nodes.
 */
final class RolloutHolds {
    private RolloutHolds() {
    }

    static List<Hold> of(LiveUpdate plan, List<LiveUpdateNode> luns, List<NodeRow> rows) {
        List<Hold> holds = new ArrayList<>();
        LiveUpdateSpec spec = plan.getSpec();
        LiveUpdateStatus st = plan.getStatus();
        String phase = st == null || st.getPhase() == null ? null : st.getPhase().name();
        String name = plan.getMetadata().getName();
        if (spec != null && Boolean.TRUE.equals(spec.getCancel()) && !"Cancelled".equals(phase)) {
            holds.add(new Hold("CancelRequested", "spec.cancel is true: nodes not yet rebooted are being cancelled"));
        }
        if (spec != null && Boolean.TRUE.equals(spec.getPaused()) && !Boolean.TRUE.equals(spec.getCancel())) {
            holds.add(new Hold("Paused", "spec.paused is true: no node starts a new step (kubectl liveupdate resume " + name + ")"));
        }
        Long generation = plan.getMetadata().getGeneration();
        if (st == null || st.getObservedGeneration() == null) {
            holds.add(new Hold("NotObserved", "the operator has not written a status for this plan yet (is it running?)"));
        } else if (generation != null && st.getObservedGeneration() < generation) {
            holds.add(new Hold("NotObserved", "the status describes generation " + st.getObservedGeneration()
                    + "; the operator has not acted on generation " + generation + " yet"));
        }
        if (st != null) {
            Condition stalled = trueCondition(st, "Stalled");
            if (stalled != null) {
                holds.add(new Hold("Stalled/" + orElse(stalled.getReason(), "Stalled"), orElse(stalled.getMessage(), st.getMessage())));
            }
            Condition conflict = trueCondition(st, "Conflict");
            if (conflict != null) {
                holds.add(new Hold("Conflict", conflict.getMessage()));
            }
            Condition invalid = condition(st, "SpecValid", "False");
            if (invalid != null) {
                holds.add(new Hold("InvalidSpec", invalid.getMessage()));
            }
            Condition progressing = trueCondition(st, "Progressing");
            if (progressing != null && progressing.getMessage() != null && !progressing.getMessage().isBlank()) {
                holds.add(new Hold("WaitingFor", progressing.getMessage()));
            }
            preflight(st).ifPresent(holds::add);
            if (st.getSoakUntil() != null && ("Progressing".equals(phase) || "Pending".equals(phase))) {
                holds.add(new Hold("Soak", "the next wave waits for the soak time until " + st.getSoakUntil()));
            }
        }
        Set<String> heldNodes = new LinkedHashSet<>();
        rows.stream().filter(NodeRow::restoreHeld).forEach(r -> heldNodes.add(r.node()));
        for (LiveUpdateNode lun : luns) {
            if (heldNodes.contains(lun.getMetadata().getName())) {
                Condition c = NodeRows.condition(lun.getStatus(), NodeRows.RESTORE_HELD);
                holds.add(new Hold("RestoreHeld", lun.getMetadata().getName() + ": " + c.getMessage()
                        + " (kubectl liveupdate release " + lun.getMetadata().getName() + ")"));
            }
        }
        return holds;
    }

    private static Condition trueCondition(LiveUpdateStatus st, String type) {
        return condition(st, type, "True");
    }

    private static Condition condition(LiveUpdateStatus st, String type, String status) {
        if (st.getConditions() == null) {
            return null;
        }
        return st.getConditions().stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Blocking preflight findings (status.preflight): each reason with its count and first nodes. */
    private static java.util.Optional<Hold> preflight(LiveUpdateStatus st) {
        var p = st.getPreflight();
        if (p == null || p.getFindings() == null) {
            return java.util.Optional.empty();
        }
        List<String> blocking = p.getFindings().stream().filter(f -> Boolean.TRUE.equals(f.getBlocking()))
                .map(f -> f.getReason() + " on " + f.getCount() + " node(s)"
                        + (f.getNodes() == null || f.getNodes().isEmpty() ? "" : " (" + String.join(", ", f.getNodes()) + ")"))
                .toList();
        return blocking.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Hold("Preflight", String.join("; ", blocking)));
    }
}
