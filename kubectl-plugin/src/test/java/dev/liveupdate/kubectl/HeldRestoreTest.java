package dev.liveupdate.kubectl;

import static dev.liveupdate.kubectl.Fixtures.node;
import static dev.liveupdate.kubectl.Fixtures.plan;
import static dev.liveupdate.kubectl.Fixtures.reports;
import static dev.liveupdate.kubectl.Fixtures.restoreHeld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldRestoreTest {
    private final LiveUpdate failedPlan = plan("kernel-7-2", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");

    private static SessionStatus session(String name, List<Long> preserved, List<Long> restored) {
        SessionStatus s = new SessionStatus();
        s.setName(name);
        s.setPreservedTokens(preserved);
        s.setRestoredTokens(restored);
        return s;
    }

    @Test
    void theUidComesFromTheAgentsConditionAndTheLostFilesFromItsSessions() {
        LiveUpdateNode lun = restoreHeld(reports(node("node-1"), failedPlan, NodePhase.Failed, "RestoreTimeout", "timed out"),
                "kernel-7-2", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "RestoreTimeout");
        lun.getStatus().setSessions(List.of(session("vm-memory", List.of(3L, 7L, 9L), List.of(7L)),
                session("vm-state", List.of(1L), List.of(1L))));

        HeldRestore held = HeldRestore.of(lun).orElseThrow();

        assertThat(held.planUid()).isEqualTo("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assertThat(held.planName()).isEqualTo("kernel-7-2");
        assertThat(held.unrestored()).containsExactly("vm-memory: tokens 3, 9");
        assertThat(held.whatIsLost()).contains("plan kernel-7-2 (uid 1b4e28ba-2fa1-11d2-883f-0016d3cca427, restore failed: RestoreTimeout)")
                .contains("the kernel discards the files no workload took back (vm-memory: tokens 3, 9)")
                .contains("cannot be undone");
    }

    @Test
    void whileALaterPlanIsRefusedTheHeldPlansUidIsUsedNotTheLaterOne() {
        LiveUpdate later = plan("kernel-7-3", "uid-later");
        LiveUpdateNode lun = restoreHeld(reports(node("node-1"), later, NodePhase.Failed, "UnreleasedRestore", "refused"),
                "kernel-7-2", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "SessionsLost");
        lun.getStatus().setSessions(List.of(session("other", List.of(1L), List.of())));

        HeldRestore held = HeldRestore.of(lun).orElseThrow();

        assertThat(held.planUid()).isEqualTo("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        // The sessions in status are the later plan's: say "every file" rather than name the wrong ones.
        assertThat(held.unrestored()).isEmpty();
        assertThat(held.whatIsLost()).contains("every file no workload has taken back yet");
    }

    @Test
    void nothingHeldWithoutATrueCondition() {
        LiveUpdateNode lun = reports(node("node-1"), failedPlan, NodePhase.Failed, "PrepareTimeout", "no files");
        assertThat(HeldRestore.of(lun)).isEmpty();
        lun.getStatus().setConditions(List.of(Fixtures.condition("RestoreHeld", "False", "Released", "no failed restore holds files on this node")));
        assertThat(HeldRestore.of(lun)).isEmpty();
    }
}
