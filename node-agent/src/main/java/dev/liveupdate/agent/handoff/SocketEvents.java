package dev.liveupdate.agent.handoff;

/** Events of the socket layer for people (the agent posts them as Kubernetes Events on the node's LiveUpdateNode). */
@FunctionalInterface
public interface SocketEvents {
    SocketEvents NONE = (warning, reason, message) -> { };

    void event(boolean warning, String reason, String message);
}
