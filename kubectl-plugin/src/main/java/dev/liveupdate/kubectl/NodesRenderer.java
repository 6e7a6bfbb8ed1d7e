package dev.liveupdate.kubectl;

import java.util.List;

/** nodes as a table: capability, ABI, kernel, what runs now and how the last update ended. */
final class NodesRenderer {
    private final Style style;

    NodesRenderer(Style style) {
        this.style = style;
    }

    String render(List<InventoryRow> rows) {
        if (rows.isEmpty()) {
            return "No LiveUpdateNodes: no node agent has reported yet (is the agent DaemonSet running?)\n";
        }
        Table t = new Table("NODE", "CAPABLE", "ABI", "DEVICE", "KERNEL", "AGENT", "PHASE", "PLAN", "LAST RESULT", "BLACKOUT", "NOTE");
        int capable = 0;
        for (InventoryRow r : rows) {
            boolean can = Boolean.TRUE.equals(r.capable());
            capable += can ? 1 : 0;
            String last = r.lastResult() == null ? null
                    : style.phase(r.lastResult()) + (r.lastReason() == null ? "" : "/" + r.lastReason())
                            + (r.lastPlan() == null ? "" : " (" + r.lastPlan() + ")");
            String note = r.restoreHeld() ? style.red("restore held: kubectl liveupdate release " + r.node())
                    : can ? null : r.notCapableReason();
            t.row(r.node(), r.capable() == null ? "?" : style.phase(can ? "yes" : "no"), r.abi(), r.deviceState(),
                    r.kernel(), r.agentVersion(), style.phase(r.phase()), r.plan(), last,
                    Durations.millis(r.lastBlackoutMillis()), note);
        }
        return t.render("") + rows.size() + " node(s), " + capable + " capable of a live update\n";
    }
}
