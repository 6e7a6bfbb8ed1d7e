package dev.liveupdate.api.v1alpha1;

/** The step the operator asks a node's agent to take. */
public enum NodeStep {
    Prepared, Rebooted, Finished, Cancelled
}
