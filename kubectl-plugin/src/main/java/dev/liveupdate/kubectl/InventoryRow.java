package dev.liveupdate.kubectl;

/** One node of the fleet's live-update inventory (from its LiveUpdateNode), the JSON of {@code nodes -o json}. */
public record InventoryRow(String node, Boolean capable, String abi, String deviceState, String kernel,
        String agentVersion, String notCapableReason, String phase, String plan, String lastResult,
        String lastPlan, String lastReason, Long lastBlackoutMillis, String lastCompletedAt, boolean restoreHeld) {
}
