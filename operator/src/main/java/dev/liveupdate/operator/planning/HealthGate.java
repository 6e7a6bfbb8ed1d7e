package dev.liveupdate.operator.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan's health gates ({@code spec.healthGates}) on a node verified in the new kernel: it is finished (or left at
 * its staged target), uncordoned and counted done only once the node is Ready (for {@code nodeReadyFor}, if set) and
 * every pod gate holds there. The clock starts when the node was first seen verified, kept in the ledger
 * ({@code gateSince}) so a restarted operator does not give the gates a new timeout. A gate that does not hold within
 * the timeout fails the node ({@code HealthGateFailed}, naming what did not hold): it stays cordoned and held for a
 * person, like any failure after the reboot; a check pod that failed fails the node at once. Pod gates and the check
 * pod are looked up live (not from a cache), at most once per gated node and pass, and again every {@link #POLL} while
 * they wait: pods are not watched.
 */
final class HealthGate {
    /** How often a waiting node's gates are looked at again (pod readiness triggers no pass). */
    static final Duration POLL = Duration.ofSeconds(5);
    /** Findings named in a failure message; the rest are counted. */
    private static final int NAMED = 3;

    private final PassContext pass;
    private final HeldSettling settling;

    HealthGate(PassContext pass, HeldSettling settling) {
        this.pass = pass;
        this.settling = settling;
    }

    /** Whether the plan has gates and this node has started on them (verified once), whatever it shows now. */
    boolean started(Tracked t) {
        return pass.settings.healthGates().any() && t.ledger.gateSince() != null;
    }

    /**
     * @return true when the node may go on in this pass; false when it waits on its gates (bucket, wake-up and
     *         status message set) or has just failed them
     */
    boolean passed(Tracked t) {
        HealthGateSettings g = pass.settings.healthGates();
        if (!g.any() || t.ledger.settledAt() != null) {
            return true; // no gates, or passed before the node settled at a staged target
        }
        Instant since = t.ledger.gateSince() == null ? pass.now : t.ledger.gateSince();
        List<String> unmet = unmet(t, g, since);
        HealthProbe.CheckPodResult check = g.checkPod() && t.node().ready() ? pass.healthProbe.checkPod(t.name())
                : null;
        if (check != null && check.state() == HealthProbe.CheckPodResult.State.FAILED) {
            settling.fail(t, new Failure(Reasons.HEALTH_GATE_FAILED, "the check pod failed: " + check.text(), pass.now,
                    true));
            return false;
        }
        if (check != null && check.state() == HealthProbe.CheckPodResult.State.WAITING) {
            unmet.add(check.text());
        }
        if (unmet.isEmpty()) {
            return true;
        }
        if (!pass.now.isBefore(since.plus(g.timeout()))) {
            settling.fail(t, new Failure(Reasons.HEALTH_GATE_FAILED, "health gates did not hold within "
                    + Texts.human(g.timeout()) + " of the node's verification in the new kernel: " + describe(unmet),
                    pass.now, true));
            return false;
        }
        t.bucket = NodeBucket.UPDATED;
        t.disruptive = true; // not done: the next wave and the budget wait for it
        pass.waitingFor = "node " + t.name() + " health gates: " + unmet.get(0);
        pass.wakeAt(earliest(pass.now.plus(POLL), since.plus(g.timeout())));
        if (t.ledger.gateSince() == null) {
            pass.writes.updateLedger(t, t.ledger.withGateSince(pass.now), PlanEvent.normal("HealthGatesWaiting",
                    "node " + t.name() + " runs the new kernel; waiting up to " + Texts.human(g.timeout())
                            + " for its health gates: " + unmet.get(0)));
        }
        return false;
    }

    private List<String> unmet(Tracked t, HealthGateSettings g, Instant since) {
        List<String> unmet = new ArrayList<>();
        NodeView n = t.node();
        if (!n.ready()) {
            unmet.add("node is not Ready");
        } else if (g.nodeReadyFor() != null) {
            Instant from = n.readySince() != null && n.readySince().isAfter(since) ? n.readySince() : since;
            Instant enough = from.plus(g.nodeReadyFor());
            if (pass.now.isBefore(enough)) {
                unmet.add("node Ready for " + Texts.human(Duration.between(from, pass.now)) + " of "
                        + Texts.human(g.nodeReadyFor()));
                pass.wakeAt(enough);
            }
        }
        if (g.podGates()) {
            unmet.addAll(pass.healthProbe.unhealthyPods(t.name()));
        }
        return unmet;
    }

    private static String describe(List<String> unmet) {
        String named = String.join("; ", unmet.subList(0, Math.min(NAMED, unmet.size())));
        return unmet.size() > NAMED ? named + " (and " + (unmet.size() - NAMED) + " more)" : named;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
