package dev.liveupdate.operator.planning;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The unavailability budget: how many selected nodes may be unavailable at once, counting nodes that are already
 * unavailable for other reasons. A percentage is of the selected nodes, rounded down, and never below 1.
 */
public final class Budget {
    private Budget() {
    }

    public static int maxUnavailable(IntOrString value, int selectedNodes) {
        if (value == null) {
            return 1;
        }
        if (value.getIntVal() != null) {
            return Math.max(1, value.getIntVal());
        }
        String s = value.getStrVal().trim();
        if (s.endsWith("%")) {
            int pct = Integer.parseInt(s.substring(0, s.length() - 1));
            return Math.max(1, (int) ((long) selectedNodes * pct / 100));
        }
        return Math.max(1, Integer.parseInt(s));
    }
}
