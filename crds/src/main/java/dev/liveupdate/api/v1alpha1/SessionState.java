package dev.liveupdate.api.v1alpha1;

/** Where one of the plan's sessions is, as the node's agent holds it. */
public enum SessionState {
    /** Outgoing: created in this kernel and held by the agent; files go in until the kexec. */
    Created,
    /** Incoming: retrieved by the agent in the new kernel; its files go back to the workloads. */
    Retrieved,
    /** FINISH was sent: the kernel let go of it. */
    Finished,
    /** Gone: its holder died before the kexec, or it could not be retrieved after it (see the node's message). */
    Lost
}
