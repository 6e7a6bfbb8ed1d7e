package dev.liveupdate.sandbox;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Shows the rollout live. On a terminal it redraws one table in place; otherwise (CI, pipes) it prints a plain line
 * for each change of a node or of the plan, so logs stay readable and diffable.
 */
public final class FleetView {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private final PrintStream out;
    private final boolean interactive;
    private List<NodeRow> lastRows = List.of();
    private PlanHeader lastHeader;

    public FleetView(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    public void show(PlanHeader header, List<NodeRow> rows) {
        show(header, rows, List.of());
    }

    /** Like {@link #show(PlanHeader, List)}; on a terminal the last few fleet events stay under the table. */
    public void show(PlanHeader header, List<NodeRow> rows, List<String> recentEvents) {
        if (interactive) {
            out.print(CLEAR_SCREEN);
            out.print(render(header, rows));
            if (!recentEvents.isEmpty()) {
                out.println();
                recentEvents.subList(Math.max(0, recentEvents.size() - 6), recentEvents.size())
                        .forEach(e -> out.println("  " + e));
            }
            out.flush();
        } else {
            printChanges(header, rows);
        }
        lastHeader = header;
        lastRows = rows;
    }

    /** The whole table as text (also used for the final summary). */
    public static String render(PlanHeader header, List<NodeRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("LiveUpdate %s   phase %s   done %s   failed %d   wave %s   %s%n",
                header.plan(), orDash(header.phase()), orDash(header.progress()), header.failed(),
                header.wave() == null ? "-" : header.wave(), seconds(header.elapsedMillis())));
        if (header.message() != null && !header.message().isBlank()) {
            sb.append("  ").append(header.message()).append(System.lineSeparator());
        }
        sb.append(System.lineSeparator());
        String format = "%-14s %-4s %-10s %-10s %-10s %s%n";
        sb.append(String.format(format, "NODE", "ABI", "DESIRED", "PHASE", "BLACKOUT", "WORKLOAD"));
        for (NodeRow r : rows) {
            sb.append(String.format(format, r.node(), r.abi(), r.desired(), r.phase(), r.blackout(), r.workload()));
        }
        return sb.toString();
    }

    private void printChanges(PlanHeader header, List<NodeRow> rows) {
        if (lastHeader == null || !Objects.equals(lastHeader.phase(), header.phase())
                || !Objects.equals(lastHeader.progress(), header.progress())
                || !Objects.equals(lastHeader.wave(), header.wave())) {
            out.printf("[%7s] plan %s: phase %s, done %s, failed %d, wave %s%n", seconds(header.elapsedMillis()),
                    header.plan(), orDash(header.phase()), orDash(header.progress()), header.failed(),
                    header.wave() == null ? "-" : header.wave());
        }
        for (NodeRow row : rows) {
            NodeRow before = lastRows.stream().filter(r -> r.node().equals(row.node())).findFirst().orElse(null);
            if (!row.equals(before)) {
                out.printf("[%7s] %s: abi %s, desired %s, phase %s, blackout %s, workload %s%n",
                        seconds(header.elapsedMillis()), row.node(), row.abi(), row.desired(), row.phase(),
                        row.blackout(), row.workload());
            }
        }
        out.flush();
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }

    static String seconds(long millis) {
        return String.format("%.1fs", millis / 1000.0);
    }
}
