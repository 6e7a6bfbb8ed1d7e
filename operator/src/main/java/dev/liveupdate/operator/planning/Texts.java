package dev.liveupdate.operator.planning;

import java.time.Duration;

/** Small text helpers for the messages the planner writes. */
final class Texts {
    private Texts() {
    }

    static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }

    /** The agent's phase as a failure message names it: whether it reports on this plan or not. */
    static String phaseOf(Tracked t, String planUid) {
        AgentReport a = t.lun().agent();
        if (a == null || a.phase() == null) {
            return "none reported";
        }
        return planUid.equals(a.planUid()) ? a.phase().name() : a.phase() + " (for another or no plan)";
    }
}
