package dev.liveupdate.kubectl;

/**
 * One node of a plan as status shows it: its wave, the step the operator asked for, the phase the agent reports for
 * this plan (or the outcome once released), why, and its blackout.
 */
public record NodeRow(String node, Integer wave, String step, String phase, String reason, String message,
        Long blackoutMillis, boolean restoreHeld) {
}
