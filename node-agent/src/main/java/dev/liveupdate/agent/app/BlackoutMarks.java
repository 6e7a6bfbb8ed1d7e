package dev.liveupdate.agent.app;

import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The agent process's own steps of the blackout, which the engine does not see: when this process started, when its
 * workload socket began serving and when it reached the API server. They are added to the status's blackout of a
 * restore (one the engine reports after the kexec: it has {@code deviceReopenedAt}) on its way to the API server. A
 * process restarted during the restore keeps the marks of the first process of this boot (seeded from the last status).
 */
final class BlackoutMarks {
    /** The JVM's own start time (ms); ProcessHandle's start instant is only as precise as /proc/stat's boot time (1 s). */
    private final Instant processStarted = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    private volatile Instant socketServing;
    private volatile Instant apiConnected;
    private volatile Blackout seed;

    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** The status this process started from: marks of an earlier process of the same restore win over this one's. */
    void seed(LiveUpdateNodeStatus last) {
        seed = last == null ? null : last.getBlackout();
    }

    /** @param since when the socket began to bind: a workload can be served from then on, never before */
    void socketServing(Instant since) {
        if (socketServing == null) {
            socketServing = since;
        }
    }

    void apiConnected() {
        if (apiConnected == null) {
            apiConnected = Instant.now();
        }
    }

    /** A sink that adds the marks to each restore's blackout before {@code delegate} gets it. */
    StatusSink around(StatusSink delegate) {
        return new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                delegate.publish(mark(status));
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
                delegate.publishAndWait(mark(status));
            }
        };
    }

    LiveUpdateNodeStatus mark(LiveUpdateNodeStatus status) {
        Blackout b = status.getBlackout();
        if (b == null || b.getDeviceReopenedAt() == null) {
            return status;
        }
        Blackout earlier = seed != null && Objects.equals(seed.getRebootIssuedAt(), b.getRebootIssuedAt()) ? seed : null;
        if (b.getAgentStartedAt() == null) {
            b.setAgentStartedAt(earlier != null && earlier.getAgentStartedAt() != null ? earlier.getAgentStartedAt() : format(processStarted));
        }
        if (b.getSocketServingAt() == null) {
            b.setSocketServingAt(earlier != null && earlier.getSocketServingAt() != null ? earlier.getSocketServingAt() : format(socketServing));
        }
        if (b.getApiConnectedAt() == null) {
            b.setApiConnectedAt(earlier != null && earlier.getApiConnectedAt() != null ? earlier.getApiConnectedAt() : format(apiConnected));
        }
        return status;
    }

    private static String format(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
