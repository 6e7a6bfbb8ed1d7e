package dev.liveupdate.sandbox;

import java.util.Locale;

/**
 * A failure injected into the sandbox, to show halting and recovery.
 * <ul>
 * <li>{@code prepare-fail=NODE}: the node's kernel image is missing. Fleet preflight (default Halt) finds it in the
 * node's inventory and stops the plan before any node is touched; a plan with {@code strategy.preflight: Report}
 * goes on, and the node's prepare step fails with a readable reason and the plan halts (maxFailures 0) before any
 * disruption of that node.</li>
 * <li>{@code kill-agent=NODE@PHASE}: the node's first agent dies at once, as if SIGKILLed, right after the API server
 * stored its status reporting PHASE (the agent's simulator-only halt-after-phase, so the kill cannot race the next
 * step); the sandbox restarts it like a kubelet would, and the restarted agent shows what the crash cost.</li>
 * <li>{@code no-reclaim=NODE}: after the node's kexec the sandbox restarts the agent but not the workload, so nobody
 * takes the preserved memfd back: the plan's restore timeout expires, and with {@code onTimeout: Fail} the agent
 * reports {@code RestoreTimeout} and keeps the data until a person discards it (annotation
 * {@code liveupdate.dev/discard-unrestored=<plan uid>} on the LiveUpdateNode).</li>
 * <li>{@code freeze-no-ack=NODE}: the node's workload subscribes to freeze notices but never acknowledges them, so
 * the freeze before its kexec misses the plan's deadline ({@code strategy.freeze}); with the default
 * {@code onTimeout: Abort} the node fails with reason {@code FreezeTimeout} without rebooting, its workload is told
 * {@code thawed}, and the plan halts or fails (maxFailures 0).</li>
 * <li>{@code kill-operator=PHASE} or {@code kill-operator=NODE@PHASE}: the operator replica holding the Lease is
 * SIGKILLed as soon as the sandbox sees the first node (or NODE) report PHASE, in the middle of a wave; the standby
 * takes the Lease and finishes the plan (needs {@code --operators 2} or more, the default).</li>
 * </ul>
 */
public record Fault(Kind kind, String node, String phase) {
    public enum Kind { PREPARE_FAIL, KILL_AGENT, NO_RECLAIM, FREEZE_NO_ACK, KILL_OPERATOR }

    static final String USAGE = "use prepare-fail=NODE, kill-agent=NODE@PHASE, no-reclaim=NODE, freeze-no-ack=NODE or kill-operator=[NODE@]PHASE";

    public static Fault parse(String text) {
        String[] kv = text.split("=", 2);
        if (kv.length != 2 || kv[1].isBlank()) {
            throw new IllegalArgumentException("bad --fault '" + text + "': " + USAGE);
        }
        switch (kv[0].toLowerCase(Locale.ROOT)) {
            case "prepare-fail":
                return new Fault(Kind.PREPARE_FAIL, nodeOnly(text, kv[1], "prepare-fail"), null);
            case "no-reclaim":
                return new Fault(Kind.NO_RECLAIM, nodeOnly(text, kv[1], "no-reclaim"), null);
            case "freeze-no-ack":
                return new Fault(Kind.FREEZE_NO_ACK, nodeOnly(text, kv[1], "freeze-no-ack"), null);
            case "kill-agent":
                String[] np = kv[1].split("@", 2);
                if (np.length != 2 || np[0].isBlank()) {
                    throw new IllegalArgumentException("bad --fault '" + text + "': kill-agent needs NODE@PHASE, e.g. kill-agent=node-2@Prepared");
                }
                if (java.util.Arrays.stream(dev.liveupdate.api.v1alpha1.NodePhase.values()).noneMatch(p -> p.name().equals(np[1]))) {
                    throw new IllegalArgumentException("bad --fault '" + text + "': " + np[1] + " is not a LiveUpdateNode phase; use one of "
                            + java.util.Arrays.toString(dev.liveupdate.api.v1alpha1.NodePhase.values()));
                }
                return new Fault(Kind.KILL_AGENT, np[0], np[1]);
            case "kill-operator":
                return KillOperator.parse(text, kv[1]);
            default:
                throw new IllegalArgumentException("unknown --fault '" + kv[0] + "': use prepare-fail, kill-agent, no-reclaim, freeze-no-ack or kill-operator");
        }
    }

    /** A fault that names just a node: a phase (or anything after '@') would be silently ignored, so it is refused. */
    private static String nodeOnly(String text, String value, String kind) {
        if (value.contains("@")) {
            throw new IllegalArgumentException("bad --fault '" + text + "': " + kind + " takes just a NODE, e.g. " + kind + "=node-1");
        }
        return value.trim();
    }

    /** The fault applies to the node of this name. */
    boolean targets(Kind k, String nodeName) {
        return kind == k && node != null && node.equals(nodeName);
    }

    /** kill-operator: fires when {@code nodeName} reports {@code reported}; without a node, when any node does. */
    public boolean killsOperatorAt(String nodeName, String reported) {
        return kind == Kind.KILL_OPERATOR && (node == null || node.equals(nodeName)) && phase.equals(reported);
    }

    /** How {@code kill-operator=[NODE@]PHASE} is read. */
    private static final class KillOperator {
        static Fault parse(String text, String value) {
            String[] np = value.contains("@") ? value.split("@", 2) : new String[] {null, value};
            if (np[1].isBlank() || (np[0] != null && np[0].isBlank())) {
                throw new IllegalArgumentException("bad --fault '" + text + "': kill-operator needs PHASE or NODE@PHASE,"
                        + " e.g. kill-operator=Rebooting or kill-operator=node-2@Rebooting");
            }
            if (java.util.Arrays.stream(dev.liveupdate.api.v1alpha1.NodePhase.values()).noneMatch(p -> p.name().equals(np[1]))) {
                throw new IllegalArgumentException("bad --fault '" + text + "': " + np[1] + " is not a LiveUpdateNode phase; use one of "
                        + java.util.Arrays.toString(dev.liveupdate.api.v1alpha1.NodePhase.values()));
            }
            return new Fault(Kind.KILL_OPERATOR, np[0] == null ? null : np[0].trim(), np[1]);
        }
    }
}
