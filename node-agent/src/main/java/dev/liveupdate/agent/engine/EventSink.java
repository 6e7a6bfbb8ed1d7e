package dev.liveupdate.agent.engine;

/** Kubernetes Events on the node's LiveUpdateNode, one per step; a no-op in tests that do not look. */
public interface EventSink {
    EventSink NONE = (warning, reason, message) -> { };

    void event(boolean warning, String reason, String message);
}
