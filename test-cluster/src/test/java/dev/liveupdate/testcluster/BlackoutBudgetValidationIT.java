package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.get;
import static dev.liveupdate.testcluster.Resources.plan;
import static dev.liveupdate.testcluster.Resources.plans;
import static dev.liveupdate.testcluster.Resources.rejected;
import static dev.liveupdate.testcluster.Resources.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** spec.strategy.blackoutBudget against the real API server: its CEL rules, their messages, the default. */
class BlackoutBudgetValidationIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String BUDGET = "spec.strategy.blackoutBudget";
    private final KubernetesClient admin = SharedTestCluster.get().client();

    private static String uniqueName(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    private static Map<String, Object> percentile(Object quantile, Object max, Object minNodes) {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("quantile", quantile);
        p.put("max", max);
        if (minNodes != null) {
            p.put("minNodes", minNodes);
        }
        return p;
    }

    static Stream<Arguments> invalidBudgets() {
        return Stream.of(
                Arguments.of("maxPerNode not a duration", Map.of("maxPerNode", "5 seconds"),
                        "blackoutBudget.maxPerNode must be a duration above 0 such as 5s, 1500ms or 1m30s; got '5 seconds'"),
                Arguments.of("maxPerNode 0s", Map.of("maxPerNode", "0s"),
                        "blackoutBudget.maxPerNode must be a duration above 0 such as 5s, 1500ms or 1m30s; got '0s'"),
                Arguments.of("maxPerNode 0ms", Map.of("maxPerNode", "0ms"), "got '0ms'"),
                Arguments.of("maxPerNode with a fraction", Map.of("maxPerNode", "1.5s"), "got '1.5s'"),
                Arguments.of("quantile 0", Map.of("percentile", percentile(0, "3s", null)),
                        "spec.strategy.blackoutBudget.percentile.quantile: Invalid value: 0"),
                Arguments.of("quantile 0 (what it means)", Map.of("percentile", percentile(0, "3s", null)),
                        "blackoutBudget.percentile.quantile must be above 0 and at most 100 (95 for p95, 99.9 for p99.9)"),
                Arguments.of("minNodes 0 (what it means)", Map.of("percentile", percentile(95, "3s", 0)),
                        "blackoutBudget.percentile.minNodes must be at least 1"),
                Arguments.of("quantile 100.5", Map.of("percentile", percentile(100.5, "3s", null)),
                        "spec.strategy.blackoutBudget.percentile.quantile: Invalid value: 100.5"),
                Arguments.of("quantile -5", Map.of("percentile", percentile(-5, "3s", null)), "Invalid value: -5"),
                Arguments.of("percentile max 0s", Map.of("percentile", percentile(95, "0s", null)),
                        "blackoutBudget.percentile.max must be a duration above 0 such as 3s or 2500ms; got '0s'"),
                Arguments.of("percentile max 3sec", Map.of("percentile", percentile(95, "3sec", null)), "got '3sec'"),
                Arguments.of("minNodes 0", Map.of("percentile", percentile(95, "3s", 0)),
                        "spec.strategy.blackoutBudget.percentile.minNodes: Invalid value: 0"),
                Arguments.of("percentile without quantile", Map.of("percentile", Map.of("max", "3s")),
                        "spec.strategy.blackoutBudget.percentile.quantile: Required value"),
                Arguments.of("percentile without max", Map.of("percentile", Map.of("quantile", 95)),
                        "spec.strategy.blackoutBudget.percentile.max: Required value"));
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("invalidBudgets")
    void rejectsInvalidBudget(String what, Map<String, Object> budget, String expectedMessage) {
        GenericKubernetesResource p = set(plan(uniqueName("budget")), BUDGET, budget);
        String message = rejected(422, () -> plans(admin).resource(p).create());
        System.out.println("rejected (" + what + "): " + message);
        assertThat(message).contains(expectedMessage);
    }

    @Test
    void acceptsGoodBudgetsAndDefaultsMinNodes() {
        GenericKubernetesResource p = set(plan(uniqueName("budget")), BUDGET,
                Map.of("maxPerNode", "1m30s", "percentile", percentile(95, "3s", null)));
        GenericKubernetesResource created = plans(admin).resource(p).create();
        assertThat(get(created, BUDGET + ".maxPerNode")).isEqualTo("1m30s");
        assertThat(get(created, BUDGET + ".percentile.minNodes")).isEqualTo(5);

        // The boundaries next to the rejections: 1ms, the smallest quantile above 0, p100, one node.
        plans(admin).resource(set(plan(uniqueName("budget")), BUDGET,
                Map.of("maxPerNode", "1ms", "percentile", percentile(0.1, "2500ms", 1)))).create();
        plans(admin).resource(set(plan(uniqueName("budget")), BUDGET,
                Map.of("percentile", percentile(100, "1h", 1)))).create();
        plans(admin).resource(set(plan(uniqueName("budget")), BUDGET,
                Map.of("percentile", percentile(99.9, "4s", 20)))).create();
        // Only a per-node maximum, and an empty budget (no limit at all).
        plans(admin).resource(set(plan(uniqueName("budget")), BUDGET, Map.of("maxPerNode", "5s"))).create();
        plans(admin).resource(set(plan(uniqueName("budget")), BUDGET, Map.of())).create();
    }

    @Test
    void theBudgetMayChangeMidFlight() {
        // Raising it is how a person resumes a plan halted on it.
        GenericKubernetesResource p = plans(admin).resource(set(plan(uniqueName("budget")), BUDGET,
                Map.of("maxPerNode", "5s"))).create();
        GenericKubernetesResource raised = plans(admin).withName(p.getMetadata().getName()).edit(r ->
                set(r, BUDGET + ".maxPerNode", "10s"));
        assertThat(get(raised, BUDGET + ".maxPerNode")).isEqualTo("10s");
    }
}
