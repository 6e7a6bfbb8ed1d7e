package dev.liveupdate.operator.orphans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.planning.AgentReport;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.LunView;
import dev.liveupdate.operator.planning.Reasons;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstructionWithoutPlanTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String GONE = "0b9c7f2e-gone";
    private static final String WHY = "no LiveUpdate named ghost exists";

    private static LunView node(NodeStep step, AgentReport agent) {
        return new LunView("n1", 4, "rv1", GONE, "ghost", step, null, agent, Map.of());
    }

    private static AgentReport agent(NodePhase phase, String planUid, Long observedGeneration, String reason) {
        return new AgentReport(phase, planUid, observedGeneration, true, null, "boot", "6.12.0", reason, null, null,
                null, null);
    }

    @Test
    void aPreparedInstructionIsClearedAtOnceAndTheOutcomeNamesThePlanAndWhy() {
        var step = InstructionWithoutPlan.decide(node(NodeStep.Prepared, agent(NodePhase.Prepared, GONE, 4L, null)),
                WHY, NOW);
        assertThat(step).isInstanceOf(InstructionWithoutPlan.Clear.class);
        var clear = (InstructionWithoutPlan.Clear) step;
        assertThat(clear.outcome().result()).isEqualTo(UpdateResult.Cancelled);
        assertThat(clear.outcome().reason()).isEqualTo(Reasons.PLAN_GONE);
        assertThat(clear.outcome().rebooted()).isFalse();
        assertThat(clear.outcome().at()).isEqualTo(NOW);
        assertThat(clear.message()).contains("instruction Prepared of plan ghost (uid " + GONE + ")").contains(WHY);
        assertThat(clear.outcome().message()).isEqualTo(clear.message());
    }

    @Test
    void theAgentsRefusalIsRecordedAsAFailedOutcome() {
        var step = InstructionWithoutPlan.decide(node(NodeStep.Prepared,
                agent(NodePhase.Failed, GONE, 4L, "InstructionWithoutPlan")), WHY, NOW);
        var clear = (InstructionWithoutPlan.Clear) step;
        assertThat(clear.outcome().result()).isEqualTo(UpdateResult.Failed);
        assertThat(clear.message()).contains("the agent reported Failed (InstructionWithoutPlan)");
    }

    @Test
    void aCancelledInstructionIsClearedToo() {
        assertThat(InstructionWithoutPlan.decide(node(NodeStep.Cancelled, null), WHY, NOW))
                .isInstanceOf(InstructionWithoutPlan.Clear.class);
    }

    @Test
    void aRebootedInstructionIsNeverClearedButToldFinished() {
        for (AgentReport a : new AgentReport[] {null, agent(NodePhase.Prepared, GONE, 4L, null),
                agent(NodePhase.Rebooting, GONE, 4L, null), agent(NodePhase.Updated, GONE, 4L, null),
                agent(NodePhase.Failed, GONE, 4L, "InstructionWithoutPlan")}) {
            assertThat(InstructionWithoutPlan.decide(node(NodeStep.Rebooted, a), WHY, NOW))
                    .as("agent %s", a).isInstanceOf(InstructionWithoutPlan.Finish.class);
        }
    }

    @Test
    void anyStepOfAPlanTheAgentRebootedForLeadsToFinishedNotToAClear() {
        // A hand-written Prepared for the plan this boot came out of: clearing it would strand the restore unfinished.
        for (NodePhase p : new NodePhase[] {NodePhase.Rebooting, NodePhase.Restoring, NodePhase.Updated}) {
            assertThat(InstructionWithoutPlan.decide(node(NodeStep.Prepared, agent(p, GONE, 4L, null)), WHY, NOW))
                    .as("agent %s", p).isInstanceOf(InstructionWithoutPlan.Finish.class);
            assertThat(InstructionWithoutPlan.decide(node(NodeStep.Cancelled, agent(p, GONE, 4L, null)), WHY, NOW))
                    .as("agent %s", p).isInstanceOf(InstructionWithoutPlan.Finish.class);
        }
    }

    @Test
    void aFinishedInstructionWaitsUntilTheAgentSettles() {
        for (AgentReport a : new AgentReport[] {null, agent(NodePhase.Restoring, GONE, 5L, null),
                agent(NodePhase.Updated, GONE, 5L, null), agent(NodePhase.Rebooting, GONE, 3L, null),
                // Finished for this plan, but reported before the Finished step was written (generation 4 < 5)
                agent(NodePhase.Finished, GONE, 4L, null), agent(NodePhase.Idle, null, 4L, null)}) {
            LunView lun = new LunView("n1", 5, "rv1", GONE, "ghost", NodeStep.Finished, null, a, Map.of());
            assertThat(InstructionWithoutPlan.decide(lun, WHY, NOW)).as("agent %s", a)
                    .isInstanceOf(InstructionWithoutPlan.Wait.class);
        }
    }

    @Test
    void aSettledFinishIsClearedWithHowItEnded() {
        Ledger ledger = new Ledger(GONE, 3, NOW.minusSeconds(600), NOW.minusSeconds(60), "b0", null, null, null);
        Map<NodePhase, UpdateResult> cases = Map.of(NodePhase.Finished, UpdateResult.Finished,
                NodePhase.Failed, UpdateResult.Failed, NodePhase.Cancelled, UpdateResult.Cancelled);
        cases.forEach((phase, result) -> {
            LunView lun = new LunView("n1", 5, "rv1", GONE, "ghost", NodeStep.Finished, ledger,
                    agent(phase, GONE, 5L, null), Map.of());
            var clear = (InstructionWithoutPlan.Clear) InstructionWithoutPlan.decide(lun, WHY, NOW);
            assertThat(clear.outcome().result()).as("%s", phase).isEqualTo(result);
            assertThat(clear.outcome().wave()).isEqualTo(3);
            assertThat(clear.outcome().startedAt()).isEqualTo(NOW.minusSeconds(600));
            assertThat(clear.outcome().rebooted()).isTrue();
        });
        LunView idle = new LunView("n1", 5, "rv1", GONE, "ghost", NodeStep.Finished, null,
                agent(NodePhase.Idle, null, 5L, null), Map.of());
        assertThat(((InstructionWithoutPlan.Clear) InstructionWithoutPlan.decide(idle, WHY, NOW)).outcome().result())
                .isEqualTo(UpdateResult.Cancelled);
    }
}
