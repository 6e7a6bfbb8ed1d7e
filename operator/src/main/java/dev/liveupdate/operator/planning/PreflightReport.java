package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.PreflightFinding;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import dev.liveupdate.api.v1alpha1.PreflightStatus;
import java.util.ArrayList;
import java.util.List;

/** The preflight part of a plan's status: {@code status.preflight} and the condition {@code PreflightPassed}. */
final class PreflightReport {
    static final String CONDITION = "PreflightPassed";

    private PreflightReport() {
    }

    static PreflightStatus status(Preflight.Verdict v) {
        PreflightStatus s = new PreflightStatus();
        s.setSummary(v.blockingNodes() == 0 ? "Passed" : v.blockingNodes() + " blocking");
        s.setCheckedNodes(v.checkedNodes());
        s.setBlockingNodes(v.blockingNodes());
        List<PreflightFinding> findings = new ArrayList<>();
        for (Preflight.Tally t : v.tallies()) {
            PreflightFinding f = new PreflightFinding();
            f.setReason(t.reason);
            f.setBlocking(t.blocking);
            f.setCount(t.count);
            f.setNodes(List.copyOf(t.nodes));
            f.setMessage(t.firstMessage);
            findings.add(f);
        }
        s.setFindings(findings.isEmpty() ? null : findings);
        return s;
    }

    /** Sets the condition; a warning event when it turns False. */
    static void condition(Conditions c, Preflight.Verdict v, List<PlanEvent> events) {
        if (v.blockingNodes() == 0) {
            boolean warnings = !v.tallies().isEmpty();
            c.set(CONDITION, true, warnings ? "PassedWithWarnings" : "Passed", v.checkedNodes()
                    + " node(s) not started yet checked" + (warnings ? "; warnings in status.preflight" : ""));
            return;
        }
        String reason = switch (v.policy()) {
            case Halt -> "BlockingFindings";
            case Skip -> "NodesSkipped";
            case Report -> "FindingsReported";
        };
        String message = v.blockingNodes() + " of " + v.checkedNodes() + " node(s) would fail their prepare ("
                + (v.policy() == PreflightPolicy.Halt ? "no wave starts until fixed" : v.policy() == PreflightPolicy.Skip
                ? "skipped" : "reported only, strategy.preflight Report") + "): " + v.blockingSummary();
        boolean wasFalse = c.wasReason(CONDITION, reason);
        c.set(CONDITION, false, reason, message);
        if (!wasFalse) {
            events.add(PlanEvent.warning("PreflightFailed", message));
        }
    }
}
