package dev.liveupdate.operator.agents;

/**
 * How many nodes' agents may be away at once: {@code maxUnavailable} as an integer or a percentage of the nodes that
 * run an agent, rounded up like the DaemonSet controller's own maxUnavailable, and at least 1 so a rollout always
 * moves.
 */
public final class ReplacementPace {
    private ReplacementPace() {
    }

    /**
     * @param maxUnavailable "3" or "10%" (blank: 1)
     * @param nodes          nodes that run (or are getting) an agent
     * @throws IllegalArgumentException for anything else, naming the setting
     */
    public static int allowed(String maxUnavailable, int nodes) {
        String v = maxUnavailable == null ? "" : maxUnavailable.trim();
        if (v.isEmpty()) {
            return 1;
        }
        try {
            int n;
            if (v.endsWith("%")) {
                int pct = Integer.parseInt(v.substring(0, v.length() - 1));
                if (pct < 1 || pct > 100) {
                    throw new NumberFormatException();
                }
                n = (int) Math.ceil(nodes * pct / 100.0);
            } else {
                n = Integer.parseInt(v);
                if (n < 1) {
                    throw new NumberFormatException();
                }
            }
            return Math.max(1, n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("liveupdate.operator.agent-max-unavailable=" + maxUnavailable
                    + " is neither an integer >= 1 nor a percentage 1%..100%");
        }
    }
}
