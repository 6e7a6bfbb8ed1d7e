package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.operator.planning.BlackoutBudgetRule.Measured;
import dev.liveupdate.operator.planning.BlackoutBudgetRule.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BlackoutBudgetRuleTest {
    private static final BlackoutLimits PER_NODE_5S = new BlackoutLimits(Duration.ofSeconds(5), null);

    private static BlackoutLimits p95(String max, int minNodes) {
        return new BlackoutLimits(null, new BlackoutLimits.Percentile(95, Duration.ofMillis(millis(max)), minNodes));
    }

    private static long millis(String d) {
        return dev.liveupdate.api.v1alpha1.ApiDurations.parse(d, null).toMillis();
    }

    /** Nodes node-01.. with these blackouts (null: unmeasured). */
    private static List<Measured> nodes(Long... millis) {
        List<Measured> out = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            out.add(new Measured(String.format("node-%02d", i + 1), millis[i]));
        }
        return out;
    }

    @Test
    void nearestRankIsTheSmallestValueThatAtLeastQPercentDoNotExceed() {
        List<Long> oneToTwenty = LongStream.rangeClosed(1, 20).boxed().toList();
        assertThat(NearestRank.of(oneToTwenty, 95)).as("rank ceil(0.95*20) = 19").isEqualTo(19);
        assertThat(NearestRank.of(oneToTwenty, 50)).as("rank 10").isEqualTo(10);
        assertThat(NearestRank.of(oneToTwenty, 100)).as("the slowest").isEqualTo(20);
        assertThat(NearestRank.of(oneToTwenty, 0.1)).as("rank 1 at the smallest quantile").isEqualTo(1);
        assertThat(NearestRank.of(oneToTwenty, 96)).as("rank ceil(19.2) = 20").isEqualTo(20);
        List<Long> ten = LongStream.rangeClosed(1, 10).map(i -> i * 100).boxed().toList();
        assertThat(NearestRank.of(ten, 95)).as("rank ceil(9.5) = 10").isEqualTo(1000);
        assertThat(NearestRank.of(ten, 90)).as("rank 9").isEqualTo(900);
        assertThat(NearestRank.of(ten, 99.9)).isEqualTo(1000);
        assertThat(NearestRank.of(List.of(7L), 1)).isEqualTo(7);
        assertThatThrownBy(() -> NearestRank.of(List.of(), 95)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNodeExactlyAtMaxPerNodeIsWithinAndOneMillisecondMoreExceeds() {
        assertThat(BlackoutBudgetRule.judge(PER_NODE_5S, nodes(5000L, 1200L)).isExceeded()).isFalse();
        Verdict v = BlackoutBudgetRule.judge(PER_NODE_5S, nodes(5001L, 1200L, 9100L));
        assertThat(v.isExceeded()).isTrue();
        assertThat(v.exceeded()).isEqualTo("2 node(s) over maxPerNode 5s: node-03 9.1s, node-01 5.001s");
    }

    @Test
    void manyNodesOverTheMaximumAreNamedUpToFiveAndCounted() {
        Verdict v = BlackoutBudgetRule.judge(PER_NODE_5S, nodes(6000L, 6000L, 7000L, 8000L, 9000L, 10000L, 11000L));
        assertThat(v.exceeded()).startsWith("7 node(s) over maxPerNode 5s: node-07 11s, node-06 10s")
                .endsWith("node-03 7s and 2 more");
        assertThat(v.worst()).hasSize(BlackoutBudgetRule.WORST_LISTED).first().isEqualTo(new Measured("node-07", 11000L));
    }

    @Test
    void thePercentileIsCheckedOnlyOnceMinNodesWereMeasured() {
        BlackoutLimits limits = p95("3s", 5);
        Verdict four = BlackoutBudgetRule.judge(limits, nodes(4000L, 4000L, 4000L, 4000L));
        assertThat(four.isExceeded()).as("4 < minNodes 5: reported, not enforced").isFalse();
        assertThat(four.percentileMillis()).isEqualTo(4000L);
        Verdict five = BlackoutBudgetRule.judge(limits, nodes(4000L, 4000L, 4000L, 4000L, 4000L));
        assertThat(five.exceeded()).isEqualTo(
                "p95 of 5 finished nodes is 4s, above percentile.max 3s (slowest: node-01 4s, node-02 4s, node-03 4s,"
                        + " node-04 4s, node-05 4s)");
    }

    @Test
    void thePercentileExactlyAtItsBoundIsWithin() {
        // 20 nodes: p95 is the 19th smallest. One slow node (the 20th) does not move it.
        Long[] values = new Long[20];
        java.util.Arrays.fill(values, 1000L);
        values[18] = 3000L;
        values[19] = 60_000L;
        Verdict at = BlackoutBudgetRule.judge(p95("3s", 5), nodes(values));
        assertThat(at.percentileMillis()).isEqualTo(3000L);
        assertThat(at.isExceeded()).isFalse();
        values[18] = 3001L;
        assertThat(BlackoutBudgetRule.judge(p95("3s", 5), nodes(values)).exceeded()).startsWith("p95 of 20 finished nodes is 3.001s");
    }

    @Test
    void unmeasuredNodesCountForNeitherRuleNorTowardsMinNodes() {
        BlackoutLimits both = new BlackoutLimits(Duration.ofSeconds(5),
                new BlackoutLimits.Percentile(50, Duration.ofSeconds(2), 2));
        Verdict v = BlackoutBudgetRule.judge(both, nodes(null, 4000L, null, null));
        assertThat(v.measured()).isEqualTo(1);
        assertThat(v.unmeasured()).isEqualTo(3);
        assertThat(v.isExceeded()).as("one measured node < minNodes 2; the unmeasured ones are not 0s nor infinite")
                .isFalse();
        Verdict none = BlackoutBudgetRule.judge(both, nodes(null, null));
        assertThat(none.percentileMillis()).isNull();
        assertThat(none.worst()).isEmpty();
        assertThat(none.isExceeded()).isFalse();
    }

    @Test
    void bothLimitsExceededAreBothNamed() {
        BlackoutLimits both = new BlackoutLimits(Duration.ofSeconds(5),
                new BlackoutLimits.Percentile(100, Duration.ofSeconds(4), 1));
        assertThat(BlackoutBudgetRule.judge(both, nodes(6000L)).exceeded())
                .isEqualTo("1 node(s) over maxPerNode 5s: node-01 6s; p100 of 1 finished nodes is 6s, above"
                        + " percentile.max 4s (slowest: node-01 6s)");
    }

    @Test
    void withoutABudgetNothingIsExceededAndP95IsReported() {
        Verdict v = BlackoutBudgetRule.judge(BlackoutLimits.NONE, nodes(100_000L, 200L));
        assertThat(v.isExceeded()).isFalse();
        assertThat(v.quantile()).isEqualTo(95);
        assertThat(v.percentileMillis()).isEqualTo(100_000L);
        assertThat(BlackoutLimits.label(95)).isEqualTo("p95");
        assertThat(BlackoutLimits.label(99.9)).isEqualTo("p99.9");
    }
}
