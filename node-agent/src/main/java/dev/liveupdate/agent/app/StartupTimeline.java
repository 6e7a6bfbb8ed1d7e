package dev.liveupdate.agent.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The agent's start-up steps as milliseconds since the process (JVM) started, in the order they happened, for one log
 * line once the agent is ready: it shows at a glance whether the restore came before the API server (docs/node-agent.md,
 * "Restore first"). Only a step's first time counts; a retried start keeps the first.
 */
final class StartupTimeline {
    static final String DEVICE_SETTLED = "device settled";
    static final String SOCKET_SERVING = "socket serving";
    static final String API_REACHED = "API reached";
    static final String FIRST_STATUS_WRITE = "first status write";

    private final LongSupplier uptimeMillis;
    private final Map<String, Long> steps = new LinkedHashMap<>();

    StartupTimeline() {
        this(BlackoutMarks::uptimeMillis);
    }

    StartupTimeline(LongSupplier uptimeMillis) {
        this.uptimeMillis = uptimeMillis;
    }

    synchronized void mark(String step) {
        steps.putIfAbsent(step, uptimeMillis.getAsLong());
    }

    synchronized Long at(String step) {
        return steps.get(step);
    }

    /**
     * E.g. "agent ready after 2230 ms since JVM start; restore first: device settled 812, socket serving 845, API reached
     * 2101, first status write 2105" (qemu/agent/run.sh and the image's class-archive training read "agent ready after").
     */
    synchronized String readyLine(String how) {
        StringBuilder b = new StringBuilder("agent ready after ").append(uptimeMillis.getAsLong()).append(" ms since JVM start; ")
                .append(how).append(':');
        steps.forEach((step, ms) -> b.append(' ').append(step).append(' ').append(ms).append(','));
        b.setLength(b.length() - 1);
        return b.toString();
    }
}
