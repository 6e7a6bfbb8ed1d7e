package dev.liveupdate.agent.handoff;

/** Counts socket requests by op and result; the Quarkus layer backs it with Micrometer. */
public interface SocketMetrics {
    SocketMetrics NONE = (op, result) -> { };

    /** @param op a wire op name, or "frame"/"connect" for failures before a request was understood; result "ok" or an error code */
    void request(String op, String result);
}
