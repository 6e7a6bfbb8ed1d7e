package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.NodeBlackout;
import dev.liveupdate.api.v1alpha1.NodeCounts;
import dev.liveupdate.api.v1alpha1.PlanBlackout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** status as text: a header, what holds the rollout, failures, then the nodes wave by wave. */
final class StatusRenderer {
    private final Style style;

    StatusRenderer(Style style) {
        this.style = style;
    }

    String render(PlanReport r) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Plan", style.bold(r.plan()) + "  (uid " + r.uid() + ")");
        line(sb, "Phase", style.phase(r.phase()) + "   target " + r.targetPhase() + "   kernel " + orDash(r.kernel())
                + (r.paused() ? "   " + style.phase("Paused") + " (spec.paused)" : "")
                + (r.cancel() ? "   " + style.red("cancel requested") : ""));
        line(sb, "Progress", orDash(r.progress()) + (r.currentWave() == null ? "" : "   wave " + r.currentWave())
                + (r.startTime() == null ? "" : "   started " + r.startTime())
                + (r.completionTime() == null ? "" : "   completed " + r.completionTime()));
        String counts = counts(r.counts());
        if (counts != null) {
            line(sb, "Nodes", counts);
        }
        String blackout = blackout(r.blackout());
        if (blackout != null) {
            line(sb, "Blackout", blackout);
        }
        if (r.message() != null) {
            line(sb, "Message", r.message());
        }
        sb.append(style.bold("Holding")).append(r.holds().isEmpty() ? "    nothing" : "").append('\n');
        for (Hold h : r.holds()) {
            sb.append("  ").append(style.yellow(h.what())).append(": ").append(h.why()).append('\n');
        }
        if (!r.failedNodes().isEmpty()) {
            int omitted = r.failedNodesOmitted() == null ? 0 : r.failedNodesOmitted();
            sb.append(style.bold("Failures")).append("   ").append(r.failedNodes().size() + omitted)
                    .append(omitted > 0 ? " (" + omitted + " not listed)" : "").append('\n');
            for (FailedNode f : r.failedNodes()) {
                sb.append("  ").append(f.getNode()).append("  ").append(style.red(orDash(f.getReason())))
                        .append(f.getPhase() == null ? "" : " (" + (f.getPhase().equals("Rebooted") ? "after" : "before") + " its reboot)")
                        .append(f.getMessage() == null ? "" : ": " + f.getMessage()).append('\n');
            }
        }
        waves(sb, r.nodes());
        return sb.toString();
    }

    /** One table, so columns line up across waves; the wave number only on its first node (a tree without lines). */
    private void waves(StringBuilder sb, List<NodeRow> nodes) {
        sb.append(style.bold("Waves"));
        if (nodes.isEmpty()) {
            sb.append("      no node taken yet\n");
            return;
        }
        sb.append('\n');
        Table t = new Table("WAVE", "NODE", "STEP", "PHASE", "REASON", "BLACKOUT", "MESSAGE");
        Integer previous = -1;
        for (NodeRow n : nodes) {
            String wave = Objects.equals(n.wave(), previous) ? " " : n.wave() == null ? "?" : String.valueOf(n.wave());
            previous = n.wave();
            t.row(wave, n.node(), n.step(), style.phase(n.phase()), n.reason(), Durations.millis(n.blackoutMillis()),
                    (n.restoreHeld() ? "[restore held] " : "") + orEmpty(n.message()));
        }
        sb.append(t.render("  "));
    }

    private static String counts(NodeCounts c) {
        if (c == null) {
            return null;
        }
        Map<String, Function<NodeCounts, Integer>> fields = new LinkedHashMap<>();
        fields.put("pending", NodeCounts::getPending);
        fields.put("preparing", NodeCounts::getPreparing);
        fields.put("prepared", NodeCounts::getPrepared);
        fields.put("rebooting", NodeCounts::getRebooting);
        fields.put("updated", NodeCounts::getUpdated);
        fields.put("finished", NodeCounts::getFinished);
        fields.put("failed", NodeCounts::getFailed);
        fields.put("cancelled", NodeCounts::getCancelled);
        fields.put("skipped", NodeCounts::getSkipped);
        fields.put("blocked", NodeCounts::getBlocked);
        List<String> parts = new ArrayList<>();
        fields.forEach((k, f) -> {
            Integer v = f.apply(c);
            if (v != null && v > 0) {
                parts.add(k + " " + v);
            }
        });
        return "total " + (c.getTotal() == null ? 0 : c.getTotal()) + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    private String blackout(PlanBlackout b) {
        if (b == null || b.getMeasuredNodes() == null || b.getMeasuredNodes() == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        s.append(orDash(b.getPercentile())).append(' ').append(orDash(b.getPercentileDuration()))
                .append(" over ").append(b.getMeasuredNodes()).append(" node(s)");
        if (b.getWorstNodes() != null && !b.getWorstNodes().isEmpty()) {
            s.append("; slowest ").append(b.getWorstNodes().stream()
                    .map((NodeBlackout n) -> n.getNode() + " " + orDash(n.getDuration())).collect(Collectors.joining(", ")));
        }
        if (b.getExceeded() != null) {
            s.append("; ").append(style.red("budget exceeded: " + b.getExceeded()));
        }
        return s.toString();
    }

    private void line(StringBuilder sb, String label, String value) {
        sb.append(style.bold(label)).append(" ".repeat(Math.max(1, 11 - label.length()))).append(value).append('\n');
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
