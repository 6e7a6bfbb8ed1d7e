package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentReplacementsTest {
    final Map<String, AgentNodeReport> reports = new HashMap<>();

    static AgentPod old(String node) {
        return new AgentPod("agent-" + node, node, true, true, false);
    }

    static AgentPod current(String node) {
        return new AgentPod("agent-" + node + "-new", node, false, true, false);
    }

    void idle(String node) {
        reports.put(node, new AgentNodeReport(node, null, null, NodePhase.Idle, null, null, false, List.of()));
    }

    void prepared(String node, String plan) {
        reports.put(node, new AgentNodeReport(node, plan, NodeStep.Prepared, NodePhase.Prepared, plan, null, false,
                List.of("vm")));
    }

    AgentReplacements.Decision decide(List<AgentPod> pods, Set<String> pending, String max) {
        return AgentReplacements.decide(pods, reports::get, pending, max);
    }

    static List<String> replaced(AgentReplacements.Decision d) {
        return d.replace().stream().map(r -> r.pod().node()).toList();
    }

    @Test
    void anOutdatedAgentOnAnIdleNodeIsReplacedAndOneOnAPreparedNodeWaitsWithItsReason() {
        idle("node-1");
        prepared("node-3", "plan-x");
        AgentReplacements.Decision d = decide(List.of(old("node-1"), old("node-3")), Set.of(), "10");

        assertThat(replaced(d)).containsExactly("node-1");
        assertThat(d.replace().get(0).why()).isEqualTo("no plan holds node-1 and its agent reports Idle with nothing"
                + " in flight");
        assertThat(d.waiting()).singleElement().satisfies(w -> {
            assertThat(w.pod().node()).isEqualTo("node-3");
            assertThat(w.reason()).isEqualTo("node-3 is Prepared for plan plan-x");
        });
    }

    @Test
    void aNodeWithoutLiveUpdateNodeIsReplaced() {
        AgentReplacements.Decision d = decide(List.of(old("node-9")), Set.of(), "1");
        assertThat(replaced(d)).containsExactly("node-9");
        assertThat(d.replace().get(0).why()).contains("has no LiveUpdateNode");
    }

    @Test
    void theWaitingNodeIsReplacedOnceItIsIdle() {
        prepared("node-3", "plan-x");
        assertThat(decide(List.of(old("node-3")), Set.of(), "1").replace()).isEmpty();
        idle("node-3");
        assertThat(replaced(decide(List.of(old("node-3")), Set.of(), "1"))).containsExactly("node-3");
    }

    @Test
    void thePaceLimitsHowManyNodesAreAwayAtOnce() {
        for (int i = 1; i <= 4; i++) {
            idle("node-" + i);
        }
        List<AgentPod> pods = List.of(old("node-1"), old("node-2"), old("node-3"), old("node-4"));
        AgentReplacements.Decision d = decide(pods, Set.of(), "1");
        assertThat(replaced(d)).containsExactly("node-1");
        assertThat(d.paced()).isEqualTo(3);
        assertThat(d.unavailable()).isEqualTo(1);

        // node-1's pod deleted, no successor yet: the next pass (woken by that deletion) replaces nothing.
        List<AgentPod> afterDelete = List.of(old("node-2"), old("node-3"), old("node-4"));
        assertThat(decide(afterDelete, Set.of("node-1"), "1").replace()).isEmpty();
        // The successor exists but is not Ready yet: still nothing.
        List<AgentPod> starting = List.of(new AgentPod("agent-node-1-new", "node-1", false, false, false),
                old("node-2"), old("node-3"), old("node-4"));
        assertThat(decide(starting, Set.of(), "1").replace()).isEmpty();
        // Ready: the next node goes.
        List<AgentPod> ready = List.of(current("node-1"), old("node-2"), old("node-3"), old("node-4"));
        assertThat(replaced(decide(ready, Set.of(), "1"))).containsExactly("node-2");
        // With a percentage: 50% of 4 nodes is 2 at once.
        assertThat(replaced(decide(ready, Set.of(), "50%"))).containsExactly("node-2", "node-3");
    }

    @Test
    void aTerminatingPodOrASecondPodOnTheNodeMeansItIsAlreadyBeingReplaced() {
        idle("node-1");
        idle("node-2");
        AgentPod terminating = new AgentPod("agent-node-1", "node-1", true, true, true);
        AgentReplacements.Decision d = decide(List.of(terminating, old("node-2")), Set.of(), "2");
        assertThat(replaced(d)).containsExactly("node-2");
        assertThat(d.unavailable()).isEqualTo(2);

        AgentReplacements.Decision twoPods = decide(List.of(old("node-1"), current("node-1")), Set.of(), "5");
        assertThat(twoPods.replace()).isEmpty();
    }

    @Test
    void anOutdatedPodThatIsNotReadyIsReplacedWithoutUsingThePace() {
        idle("node-1");
        idle("node-2");
        AgentPod crashing = new AgentPod("agent-node-2", "node-2", true, false, false);
        AgentReplacements.Decision d = decide(List.of(old("node-1"), crashing), Set.of(), "1");
        // node-2 is unavailable already: replacing it costs nothing, and node-1 waits for the pace.
        assertThat(replaced(d)).containsExactly("node-2");
        assertThat(d.replace().get(0).why()).endsWith("the pod is not Ready");
        assertThat(d.paced()).isEqualTo(1);
    }

    @Test
    void currentPodsAreLeftAloneAndAFinishedRolloutIsDone() {
        idle("node-1");
        AgentReplacements.Decision d = decide(List.of(current("node-1")), Set.of(), "1");
        assertThat(d.replace()).isEmpty();
        assertThat(d.waiting()).isEmpty();
        assertThat(d.done()).isTrue();
    }
}
