package dev.liveupdate.operator.k8s;

import dev.liveupdate.operator.planning.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps the outcome annotations on a LiveUpdateNode bounded: one per plan would otherwise pile up for ever on
 * long-lived nodes (docs/gitops.md tells people to keep finished plans in git). When the operator writes a node
 * anyway, it drops the outcomes of plans that no longer exist, and beyond {@link #MAX_KEPT} the oldest. An outcome of
 * a live plan is what keeps that plan from taking the node again, so those go last; past the cap the release ordering
 * (a node already at or past a plan's release is never started) is what still holds.
 */
final class OutcomeHistory {
    static final int MAX_KEPT = 16;

    private OutcomeHistory() {
    }

    /** Trims {@code annotations} in place; {@code livePlan} says whether a plan uid still exists. */
    static void trim(Map<String, String> annotations, String writingPlanUid, Predicate<String> livePlan) {
        List<String> keys = new ArrayList<>();
        for (String k : List.copyOf(annotations.keySet())) {
            if (!k.startsWith(Annotations.OUTCOME_PREFIX)) {
                continue;
            }
            String uid = k.substring(Annotations.OUTCOME_PREFIX.length());
            if (!uid.equals(writingPlanUid) && !livePlan.test(uid)) {
                annotations.remove(k);
            } else {
                keys.add(k);
            }
        }
        if (keys.size() <= MAX_KEPT) {
            return;
        }
        String mine = Annotations.outcomeKey(writingPlanUid);
        keys.sort(Comparator.comparing((String k) -> !k.equals(mine))
                .thenComparing(k -> at(annotations.get(k)), Comparator.reverseOrder()));
        keys.subList(MAX_KEPT, keys.size()).forEach(annotations::remove);
    }

    private static Instant at(String encoded) {
        Outcome o = LedgerCodec.decodeOutcome(encoded);
        return o == null || o.at() == null ? Instant.EPOCH : o.at();
    }
}
