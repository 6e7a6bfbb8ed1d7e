package dev.liveupdate.sandbox;

/** What the live view shows for the plan. */
public record PlanHeader(String plan, String phase, String progress, int failed, Integer wave, String message, long elapsedMillis) {
}
