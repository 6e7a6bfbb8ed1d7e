package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;

/** Where the engine's report goes: the LiveUpdateNode status in the cluster, or a fake in tests. */
public interface StatusSink {
    /** Best effort, may be asynchronous and coalesced: the latest status wins. */
    void publish(LiveUpdateNodeStatus status);

    /**
     * Writes the status and returns only once the API server has stored it (the write came back
     * with a new resourceVersion). Used before the reboot, so the report of where the node is
     * survives the kexec.
     *
     * @throws Exception when the write was not acknowledged
     */
    void publishAndWait(LiveUpdateNodeStatus status) throws Exception;
}
