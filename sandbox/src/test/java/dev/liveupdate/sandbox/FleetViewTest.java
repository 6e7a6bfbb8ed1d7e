package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FleetView plain = new FleetView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

    @Test
    void plainModePrintsOnlyChanges() {
        PlanHeader header = new PlanHeader("p", "Progressing", "0/2", 0, 1, null, 1000);
        plain.show(header, List.of(new NodeRow("n1", "A", "Prepared", "Preparing", null, "registered"),
                new NodeRow("n2", "B", null, "Idle", null, "registered")));
        plain.show(header, List.of(new NodeRow("n1", "A", "Prepared", "Prepared", null, "registered"),
                new NodeRow("n2", "B", null, "Idle", null, "registered")));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).contains("plan p: phase Progressing, done 0/2");
        assertThat(lines[3]).contains("n1: abi A, desired Prepared, phase Prepared");
    }

    @Test
    void tableHasOneRowPerNodeAndDashesForUnknowns() {
        String table = FleetView.render(new PlanHeader("p", null, null, 0, null, "waiting", 0),
                List.of(new NodeRow("node-1", "B", null, null, null, null)));
        assertThat(table).contains("phase -", "NODE", "waiting").containsPattern("node-1\\s+B\\s+-\\s+-\\s+-\\s+-");
    }
}
