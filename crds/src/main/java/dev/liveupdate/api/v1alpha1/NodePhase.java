package dev.liveupdate.api.v1alpha1;

/** Where a node's agent is with its current instruction. */
public enum NodePhase {
    Idle, Preparing, Prepared, Rebooting, Restoring, Updated, Finished, Cancelled, Failed
}
