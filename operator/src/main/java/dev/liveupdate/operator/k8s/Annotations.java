package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;

/** Annotation keys the operator owns. */
public final class Annotations {
    /** On a Node: the uid of the plan that cordoned it; written in the same request as spec.unschedulable=true. */
    public static final String CORDONED_BY = "liveupdate.dev/cordoned-by";
    /** On a LiveUpdateNode: the holding plan's ledger (JSON), written with the instruction. */
    public static final String LEDGER = LiveUpdateNode.LEDGER_ANNOTATION;
    /** On a LiveUpdateNode: prefix of the per-plan outcome (JSON), key suffix is the plan uid. */
    public static final String OUTCOME_PREFIX = LiveUpdateNode.OUTCOME_ANNOTATION_PREFIX;

    private Annotations() {
    }

    public static String outcomeKey(String planUid) {
        return OUTCOME_PREFIX + planUid;
    }
}
