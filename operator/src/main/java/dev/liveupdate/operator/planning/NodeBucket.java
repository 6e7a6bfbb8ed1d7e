package dev.liveupdate.operator.planning;

/** The status column a node is counted in; every node the plan considers is in exactly one. */
public enum NodeBucket {
    PENDING, PREPARING, PREPARED, REBOOTING, UPDATED, FINISHED, CANCELLED, FAILED, SKIPPED, BLOCKED
}
