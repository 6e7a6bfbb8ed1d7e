package dev.liveupdate.client.protocol;

/** Where a registered file is, as the status request reports it. */
public enum FileState {
    /** The agent holds its own reference; no plan declares the session (yet), so nothing is preserved in the kernel. */
    Held,
    /** The file is preserved in a kernel session for the current plan and will survive the kexec. */
    Preserved,
    /** The file came through the kexec and waits to be retrieved by its workload. */
    Restorable,
    /** The file came through the kexec and was handed back to a workload at least once. */
    Restored,
    /** The file is gone: its session died with an earlier agent process, or it was discarded after a restore timeout. */
    Lost
}
