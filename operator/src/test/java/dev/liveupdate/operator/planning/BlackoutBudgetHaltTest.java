package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.BlackoutBudget;
import dev.liveupdate.api.v1alpha1.BlackoutPercentile;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The blackout budget inside whole planning passes: where it halts, what it leaves alone, how it resumes. */
class BlackoutBudgetHaltTest {

    private static List<PlanEvent> runUntil(World w, World.SimPlan p, Predicate<World> done, int maxSteps) {
        List<PlanEvent> events = new ArrayList<>();
        for (int i = 0; i < maxSteps && !done.test(w); i++) {
            events.addAll(w.reconcile(p).events());
            w.agentsUntilQuiet();
            w.advance(Duration.ofSeconds(10));
        }
        assertThat(done.test(w)).as("condition reached; status " + (p.status == null ? null : p.status.getMessage()))
                .isTrue();
        return events;
    }

    private static LiveUpdateSpec spec(int maxUnavailable, int canary, String maxPerNode) {
        LiveUpdateSpec s = World.spec(maxUnavailable, canary);
        BlackoutBudget b = new BlackoutBudget();
        b.setMaxPerNode(maxPerNode);
        s.getStrategy().setBlackoutBudget(b);
        return s;
    }

    private static Condition condition(World.SimPlan p, String type) {
        return p.status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static long rebootsAsked(World w, World.SimPlan p) {
        return w.rebootsAsked.keySet().stream().filter(k -> k.startsWith(p.uid + "/")).count();
    }

    @Test
    void aSlowCanaryHaltsThePlanBeforeTheNextWaveAndARaisedBudgetResumesIt() {
        World w = new World().nodes(4);
        w.nodes.get("node-000").blackoutMillis = 9100L; // the canary (rollout order is by name)
        World.SimPlan p = w.plan("p", spec(3, 1, "5s"));
        List<PlanEvent> events = runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Halted, 50);

        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(1);
        assertThat(w.anyHeldBy(p.uid)).as("no wave after the canary").isFalse();
        assertThat(rebootsAsked(w, p)).isEqualTo(1);
        Condition ready = condition(p, "Ready");
        assertThat(ready.getReason()).isEqualTo(Reasons.BLACKOUT_BUDGET_EXCEEDED);
        assertThat(ready.getMessage()).contains("1 node(s) over maxPerNode 5s: node-000 9.1s")
                .contains("raise or remove strategy.blackoutBudget");
        assertThat(condition(p, "Stalled").getStatus()).isEqualTo("True");
        assertThat(p.status.getBlackout().getExceeded()).isEqualTo("1 node(s) over maxPerNode 5s: node-000 9.1s");
        assertThat(p.status.getBlackout().getWorstNodes()).singleElement()
                .satisfies(n -> assertThat(n.getMillis()).isEqualTo(9100L));
        assertThat(events).filteredOn(e -> e.reason().equals(Reasons.BLACKOUT_BUDGET_EXCEEDED)).singleElement()
                .satisfies(e -> assertThat(e.warning()).isTrue())
                .satisfies(e -> assertThat(e.message()).contains("node-000 9.1s"));

        // Halted stays halted: the outcome keeps the figure, so later passes judge the same.
        for (int i = 0; i < 5; i++) {
            assertThat(w.reconcile(p).events()).noneMatch(e -> e.reason().equals(Reasons.BLACKOUT_BUDGET_EXCEEDED));
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Halted);
        assertThat(w.luns.get("node-000").outcomes.get(p.uid).blackoutMillis()).isEqualTo(9100L);

        p.spec.getStrategy().getBlackoutBudget().setMaxPerNode("10s");
        p.generation++;
        runUntil(w, p, x -> p.status.getPhase() == PlanPhase.Succeeded, 100);
        assertThat(p.status.getBlackout().getMeasuredNodes()).isEqualTo(4);
        assertThat(p.status.getBlackout().getExceeded()).isNull();
        assertThat(w.violations).isEmpty();
    }

    @Test
    void nodesOfTheWaveAlreadyRebootingCompleteAndPreparedOnesWait() {
        // One wave of three (no canary) with one reboot at a time: the first node to finish is over the maximum.
        World w = new World().nodes(3);
        w.nodes.values().forEach(n -> n.blackoutMillis = 7000L);
        World.SimPlan p = w.plan("p", spec(1, 0, "5s"));
        runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Halted, 50);
        for (int i = 0; i < 5; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(1);
        assertThat(rebootsAsked(w, p)).as("no further reboot once halted").isEqualTo(1);
        assertThat(w.luns.values()).filteredOn(l -> p.uid.equals(l.planUid))
                .allSatisfy(l -> assertThat(l.step).isEqualTo(NodeStep.Prepared));
        assertThat(w.nodes.values()).noneMatch(n -> p.uid.equals(n.cordonedBy));
        assertThat(w.violations).isEmpty();
    }

    @Test
    void thePercentileHaltsOnlyOnceMinNodesFinishedAndUnmeasuredNodesDoNotCount() {
        World w = new World().nodes(6);
        w.nodes.values().forEach(n -> n.blackoutMillis = 4000L);
        w.nodes.get("node-000").blackoutMillis = null; // an agent that measured nothing
        LiveUpdateSpec s = World.spec(1, 0);
        BlackoutBudget b = new BlackoutBudget();
        BlackoutPercentile q = new BlackoutPercentile();
        q.setQuantile(95.0);
        q.setMax("3s");
        q.setMinNodes(3);
        b.setPercentile(q);
        s.getStrategy().setBlackoutBudget(b);
        World.SimPlan p = w.plan("p", s);
        runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Halted, 100);
        for (int i = 0; i < 5; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getBlackout().getMeasuredNodes()).isEqualTo(3);
        assertThat(p.status.getBlackout().getUnmeasuredNodes()).isEqualTo(1);
        assertThat(p.status.getBlackout().getPercentile()).isEqualTo("p95");
        assertThat(p.status.getBlackout().getPercentileMillis()).isEqualTo(4000L);
        assertThat(condition(p, "Ready").getMessage()).contains("p95 of 3 finished nodes is 4s, above percentile.max 3s");
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(4);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void whenFailuresAndTheBudgetBothHaltTheFailuresAreNamedFirstThenTheBudget() {
        World w = new World().nodes(3);
        w.nodes.get("node-000").blackoutMillis = 9000L;
        w.nodes.get("node-001").agent = World.Agent.FAIL_REBOOT;
        World.SimPlan p = w.plan("p", spec(2, 0, "5s")); // node-000 and node-001 reboot together
        runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Halted
                && p.status.getNodeCounts().getFailed() == 1 && p.status.getNodeCounts().getFinished() == 1, 50);
        assertThat(condition(p, "Ready").getReason()).isEqualTo("TooManyFailures");
        assertThat(p.status.getBlackout().getExceeded()).as("still shown").contains("node-000 9s");

        p.spec.getStrategy().setMaxFailures(1);
        p.generation++;
        w.reconcile(p);
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Halted);
        assertThat(condition(p, "Ready").getReason()).isEqualTo(Reasons.BLACKOUT_BUDGET_EXCEEDED);
        assertThat(rebootsAsked(w, p)).isEqualTo(2);
    }
}
