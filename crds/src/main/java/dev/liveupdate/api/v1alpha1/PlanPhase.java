package dev.liveupdate.api.v1alpha1;

/** Lifecycle phase of a LiveUpdate plan. */
public enum PlanPhase {
    Pending, Progressing, Paused, Halted, Succeeded, Cancelled, Failed
}
