package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.Notice;

/** One workload connection that subscribed to notices (freeze, thawed, resumed). */
public interface Subscriber {

    /** Who it is, for status messages: its owner (pod or host service). */
    String who();

    /**
     * Sends one notice.
     *
     * @return false when it could not be sent (the connection is gone)
     */
    boolean send(Notice notice);
}
