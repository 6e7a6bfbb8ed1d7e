package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fleet preflight, once per pass before a wave may start: every selected node this plan has not started yet (pending,
 * or held back for now) is checked against the plan from its agent's inventory ({@link PreflightChecks}); no node is
 * touched and no extra API call made. The findings are counted per reason with the first nodes of each. Policy
 * {@code strategy.preflight}: Skip skips the nodes with a blocking finding here; Halt leaves them and {@link WaveStart}
 * starts no wave while one stands ({@link Verdict#halts()}); Report only reports.
 */
final class Preflight {
    /** Nodes named per finding in the status. */
    static final int MAX_NODES_NAMED = 10;

    /** The findings of one reason over the fleet. */
    static final class Tally {
        final String reason;
        final boolean blocking;
        final String firstMessage;
        int count;
        /** The first {@link #MAX_NODES_NAMED} node names, sorted. */
        final TreeSet<String> nodes = new TreeSet<>();

        Tally(String reason, boolean blocking, String firstMessage) {
            this.reason = reason;
            this.blocking = blocking;
            this.firstMessage = firstMessage;
        }

        void add(String node) {
            count++;
            nodes.add(node);
            if (nodes.size() > MAX_NODES_NAMED) {
                nodes.pollLast();
            }
        }
    }

    /** What one pass found. */
    record Verdict(PreflightPolicy policy, int checkedNodes, int blockingNodes, List<Tally> tallies) {
        static final Verdict NOTHING = new Verdict(PreflightPolicy.Report, 0, 0, List.of());

        /** Halt and a blocking finding stands: no wave may start. */
        boolean halts() {
            return policy == PreflightPolicy.Halt && blockingNodes > 0;
        }

        /** "KernelMissing on 3 node(s) (a, b, c): ..." for the first blocking reasons, or null when none. */
        String blockingSummary() {
            StringBuilder m = null;
            for (Tally t : tallies) {
                if (t.blocking) {
                    m = m == null ? new StringBuilder() : m.append("; ");
                    m.append(t.reason).append(" on ").append(t.count).append(" node(s) (")
                            .append(String.join(", ", t.nodes)).append(t.count > t.nodes.size() ? ", ..." : "")
                            .append("): ").append(t.firstMessage);
                }
            }
            return m == null ? null : m.toString();
        }
    }

    private final PassContext pass;

    Preflight(PassContext pass) {
        this.pass = pass;
    }

    Verdict check() {
        PreflightNeeds needs = pass.settings.preflight() == null ? PreflightNeeds.NONE : pass.settings.preflight();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        int checked = 0;
        int blockingNodes = 0;
        for (Tracked t : pass.tracked) {
            if (t.held || t.bucket == null) {
                continue;
            }
            if (t.bucket == NodeBucket.SKIPPED && t.note != null && t.note.startsWith(Reasons.NOT_CAPABLE)) {
                checked++;
                tally(tallies, Reasons.NOT_CAPABLE, false, t.note + " (skipped)").add(t.name());
                continue;
            }
            if (t.bucket != NodeBucket.PENDING && t.bucket != NodeBucket.BLOCKED || t.lun() == null
                    || t.lun().agent() == null) {
                continue;
            }
            checked++;
            PreflightChecks.Finding firstBlocking = null;
            for (PreflightChecks.Finding f : PreflightChecks.of(needs, t.lun().agent().preflight(), t.lun().agent().staging())) {
                tally(tallies, f.reason(), f.blocking(), f.message()).add(t.name());
                if (f.blocking() && firstBlocking == null) {
                    firstBlocking = f;
                }
            }
            if (firstBlocking != null) {
                blockingNodes++;
                if (needs.policy() == PreflightPolicy.Skip) {
                    t.skip(firstBlocking.reason() + ": " + firstBlocking.message());
                }
            }
        }
        List<Tally> ordered = new ArrayList<>(tallies.values());
        ordered.sort((a, b) -> a.blocking != b.blocking ? (a.blocking ? -1 : 1) : a.reason.compareTo(b.reason));
        return new Verdict(needs.policy(), checked, blockingNodes, List.copyOf(ordered));
    }

    private static Tally tally(Map<String, Tally> tallies, String reason, boolean blocking, String message) {
        return tallies.computeIfAbsent(reason, r -> new Tally(r, blocking, message));
    }
}
