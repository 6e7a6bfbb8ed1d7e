package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceConditionsTest {
    private static final String UID = "uid-p";
    private final MaintenanceConditions conditions = new MaintenanceConditions(UID, "p", "7.2.0-1-amd64", true);

    private static NodeView node(String cordonedBy, NodeMaintenance m) {
        return new NodeView("n1", Map.of(), true, cordonedBy != null, cordonedBy, "b1", "6.12", "1", null, m);
    }

    private static LunView lun(String holder, NodeStep step) {
        Ledger ledger = holder == null ? null : new Ledger(holder, 2, null, null, null, null, null, null, 0);
        return new LunView("n1", 1, "1", holder, holder == null ? null : "p", step, ledger, null, Map.of());
    }

    private List<MaintenanceConditions.Change> changes(NodeView n, LunView l) {
        return conditions.changes(List.of(new NodeEntry("n1", n, l, true)));
    }

    private static NodeMaintenance ours(String type, String message) {
        return new NodeMaintenance(null, Map.of(type, message), Set.of());
    }

    @Test
    void aPreparingNodeIsPlannedWithItsWaveAndTheTarget() {
        var c = changes(node(null, null), lun(UID, NodeStep.Prepared));
        assertThat(c).hasSize(1);
        assertThat(c.get(0).remove()).isEmpty();
        MaintenanceConditions.Condition set = c.get(0).set().get(0);
        assertThat(set.type()).isEqualTo(NodeMaintenance.PLANNED);
        assertThat(set.reason()).isEqualTo("LiveUpdatePlanned");
        assertThat(set.message()).contains("LiveUpdate p", "wave 2", "7.2.0-1-amd64", "cordoned before its kexec");
    }

    @Test
    void theCordonTurnsPlannedIntoInProgressInOneWrite() {
        String planned = changes(node(null, null), lun(UID, NodeStep.Prepared)).get(0).set().get(0).message();
        var c = changes(node(UID, ours(NodeMaintenance.PLANNED, planned)), lun(UID, NodeStep.Prepared));
        assertThat(c).hasSize(1);
        assertThat(c.get(0).set()).extracting(MaintenanceConditions.Condition::type)
                .containsExactly(NodeMaintenance.IN_PROGRESS);
        assertThat(c.get(0).set().get(0).reason()).isEqualTo("LiveUpdateInProgress");
        assertThat(c.get(0).remove()).containsExactly(NodeMaintenance.PLANNED);
    }

    @Test
    void aRebootInstructionWithoutCordonIsInProgressToo() {
        var c = changes(node(null, null), lun(UID, NodeStep.Rebooted));
        assertThat(c.get(0).set()).extracting(MaintenanceConditions.Condition::type)
                .containsExactly(NodeMaintenance.IN_PROGRESS);
    }

    @Test
    void whatIsAlreadyThereIsNotWrittenAgain() {
        String planned = changes(node(null, null), lun(UID, NodeStep.Prepared)).get(0).set().get(0).message();
        assertThat(changes(node(null, ours(NodeMaintenance.PLANNED, planned)), lun(UID, NodeStep.Prepared)))
                .isEmpty();
    }

    @Test
    void aReleasedNodeLosesOurConditionsAndOnlyOurs() {
        var c = changes(node(null, new NodeMaintenance("DrainInProgress (Decommission)",
                Map.of(NodeMaintenance.IN_PROGRESS, "LiveUpdate p: ..."), Set.of("DrainInProgress"))),
                lun(null, null));
        assertThat(c).hasSize(1);
        assertThat(c.get(0).set()).isEmpty();
        assertThat(c.get(0).remove()).containsExactly(NodeMaintenance.IN_PROGRESS);
        assertThat(changes(node(null, null), lun(null, null))).as("nothing of ours: nothing to write").isEmpty();
    }

    @Test
    void aNodeAnotherPlanHoldsOrCordonedIsThatPlansToMark() {
        var mine = ours(NodeMaintenance.IN_PROGRESS, "LiveUpdate other: ...");
        assertThat(changes(node(null, mine), lun("uid-other", NodeStep.Rebooted))).isEmpty();
        assertThat(changes(node("uid-other", mine), lun(null, null))).isEmpty();
    }

    @Test
    void aTypeAnotherActorHoldsTrueIsNeverWrittenOver() {
        var c = changes(node(null, new NodeMaintenance(null, Map.of(), Set.of(NodeMaintenance.PLANNED))),
                lun(UID, NodeStep.Prepared));
        assertThat(c).isEmpty();
    }
}
