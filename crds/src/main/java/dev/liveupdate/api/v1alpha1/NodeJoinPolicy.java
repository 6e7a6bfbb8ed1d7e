package dev.liveupdate.api.v1alpha1;

/**
 * What a plan does with a node that matches its selector only after the plan started (a new or rebuilt Node, created
 * after the plan's startTime). Frozen: the plan's target set is the nodes that existed when it started; later nodes
 * are left alone (shown as skipped), so a plan kept in git never moves a node that joins the cluster later. Follow:
 * the plan keeps every matching node at its target, also after it succeeded (it goes back to Progressing for them).
 */
public enum NodeJoinPolicy {
    Frozen, Follow
}
