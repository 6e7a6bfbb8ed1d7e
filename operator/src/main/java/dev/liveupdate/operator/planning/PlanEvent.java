package dev.liveupdate.operator.planning;

/** A Kubernetes Event the operator should post on the plan. */
public record PlanEvent(boolean warning, String reason, String message) {
    public static PlanEvent normal(String reason, String message) {
        return new PlanEvent(false, reason, message);
    }

    public static PlanEvent warning(String reason, String message) {
        return new PlanEvent(true, reason, message);
    }
}
