package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.Blackout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One node's blackout step by step (status.blackout), each step as the time since reboot(KEXEC) was issued, e.g.
 * {@code freeze 0.05s + agent 1.21s > device 1.40s > sessions 1.41s > socket 1.45s > fds 1.47s-1.47s > rule 1.48s | API 2.90s}.
 * The freeze (workloads told to pause, acks awaited) comes before the reboot call, so it is shown as its own length.
 * The API server step comes last on purpose: the agent restores before it talks to the API server.
 */
final class BlackoutBreakdown {
    private record Step(String name, Function<Blackout, String> at) {
    }

    private static final List<Step> STEPS = List.of(
            new Step("agent", Blackout::getAgentStartedAt),
            new Step("device", Blackout::getDeviceReopenedAt),
            new Step("sessions", Blackout::getSessionsRetrievedAt),
            new Step("socket", Blackout::getSocketServingAt));

    private BlackoutBreakdown() {
    }

    /** The breakdown, or null when the status has no blackout with a reboot time. */
    static String line(Blackout b) {
        if (b == null || b.getRebootIssuedAt() == null) {
            return null;
        }
        Instant reboot = Instant.parse(b.getRebootIssuedAt());
        List<String> parts = new ArrayList<>();
        for (Step s : STEPS) {
            String at = since(reboot, s.at().apply(b));
            if (at != null) {
                parts.add(s.name() + " " + at);
            }
        }
        String first = since(reboot, b.getFirstFilesTakenAt());
        String last = since(reboot, b.getLastFilesTakenAt());
        if (first != null) {
            parts.add("fds " + first + (last == null || last.equals(first) ? "" : "-" + last));
        }
        String rule = since(reboot, b.getSessionsRestoredAt());
        if (rule != null) {
            parts.add("rule " + rule);
        }
        String api = since(reboot, b.getApiConnectedAt());
        String freeze = b.getFreezeMillis() == null ? "" : String.format(java.util.Locale.ROOT, "freeze %.2fs + ", b.getFreezeMillis() / 1000.0);
        return freeze + String.join(" > ", parts) + (api == null ? "" : " | API " + api);
    }

    private static String since(Instant reboot, String at) {
        return at == null ? null : String.format(java.util.Locale.ROOT, "%.2fs", Duration.between(reboot, Instant.parse(at)).toMillis() / 1000.0);
    }
}
