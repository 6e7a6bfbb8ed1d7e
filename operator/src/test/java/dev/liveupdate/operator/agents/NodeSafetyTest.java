package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeSafetyTest {

    static AgentNodeReport idle() {
        return new AgentNodeReport("node-3", null, null, NodePhase.Idle, null, null, false, List.of());
    }

    static AgentNodeReport held(NodeStep step, NodePhase phase) {
        return new AgentNodeReport("node-3", "plan-x", step, phase, "plan-x", null, false, List.of("vm"));
    }

    @Test
    void aNodeWithoutLiveUpdateNodeOrWithoutAnyReportIsSafe() {
        assertThat(NodeSafety.whyWait("node-3", null)).isEmpty();
        assertThat(NodeSafety.whyWait("node-3",
                new AgentNodeReport("node-3", null, null, null, null, null, false, List.of()))).isEmpty();
    }

    @Test
    void anIdleNodeIsSafeEvenWithFinishedSessionsOfItsLastUpdate() {
        assertThat(NodeSafety.whyWait("node-3", idle())).isEmpty();
        assertThat(NodeSafety.whyWait("node-3", new AgentNodeReport("node-3", null, null, NodePhase.Finished,
                "plan-x", null, false, List.of()))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(NodePhase.class)
    void aNodeHeldByAPlanWaitsWhateverItsAgentReports(NodePhase phase) {
        assertThat(NodeSafety.whyWait("node-3", held(NodeStep.Prepared, phase))).get().asString()
                .isEqualTo("node-3 is " + phase + " for plan plan-x");
    }

    @Test
    void aNodeToldAStepItsAgentHasNotReportedOnSaysSo() {
        AgentNodeReport r = new AgentNodeReport("node-3", "plan-y", NodeStep.Prepared, NodePhase.Idle, null, null,
                false, List.of());
        assertThat(NodeSafety.whyWait("node-3", r)).hasValue("node-3 is told Prepared for plan plan-y");
    }

    @ParameterizedTest
    @EnumSource(value = NodePhase.class, names = {"Preparing", "Prepared", "Rebooting", "Restoring", "Updated"})
    void anAgentStillServingAnUpdateWaitsAfterItsInstructionIsCleared(NodePhase phase) {
        AgentNodeReport r = new AgentNodeReport("node-3", null, null, phase, "plan-x", null, false, List.of());
        assertThat(NodeSafety.whyWait("node-3", r)).get().asString()
                .startsWith("node-3 is " + phase + " for plan plan-x");
    }

    @Test
    void aFailedRestoreThatKeepsFilesWaitsForAPerson() {
        AgentNodeReport byCondition = new AgentNodeReport("node-3", null, null, NodePhase.Failed, "plan-x",
                "RestoreTimeout", true, List.of());
        AgentNodeReport byReason = new AgentNodeReport("node-3", null, null, NodePhase.Idle, null,
                "UnreleasedRestore", false, List.of());
        assertThat(NodeSafety.whyWait("node-3", byCondition)).get().asString()
                .contains("keeps the files of a failed restore of plan plan-x")
                .contains("liveupdate.dev/discard-unrestored");
        assertThat(NodeSafety.whyWait("node-3", byReason)).get().asString()
                .contains("keeps the files of a failed restore");
    }

    @Test
    void aFailedNodeWithoutRetainedFilesIsSafe() {
        AgentNodeReport r = new AgentNodeReport("node-3", null, null, NodePhase.Failed, "plan-x", "SessionsLost",
                false, List.of());
        assertThat(NodeSafety.whyWait("node-3", r)).isEmpty();
    }

    @Test
    void heldSessionsKeepTheAgent() {
        AgentNodeReport r = new AgentNodeReport("node-3", null, null, NodePhase.Cancelled, "plan-x", null, false,
                List.of("vm", "db"));
        assertThat(NodeSafety.whyWait("node-3", r)).hasValue("node-3's agent holds sessions vm, db");
    }
}
