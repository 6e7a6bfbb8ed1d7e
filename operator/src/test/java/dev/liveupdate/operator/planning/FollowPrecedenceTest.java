package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FollowPrecedenceTest {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final NodeView NODE = new NodeView("n1", Map.of("pool", "kvm"), true, false, null, "b1",
            "6.12.0", "1", T0.plusSeconds(86_400));
    private static final LunView FREE = lun(Map.of(), null);

    private static LunView lun(Map<String, Outcome> outcomes, AgentReport agent) {
        return new LunView("n1", 1, "1", null, null, null, null, agent, outcomes);
    }

    private static FollowPlan plan(String name, String release, long createdMinutes) {
        return new FollowPlan(name, "uid-" + name, T0.plusSeconds(60 * createdMinutes), release,
                new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build(), false);
    }

    @Test
    void theNewestReleaseWinsThenTheOldestPlanThenTheName() {
        FollowPlan newest = plan("z-newest", "7.10.0", 30);
        FollowPlan oldSame = plan("b-old", "7.9.0", 1);
        FollowPlan youngSame = plan("a-young", "7.9.0", 20);
        FollowPlan twinA = plan("a-twin", "7.8.0", 5);
        FollowPlan twinB = plan("b-twin", "7.8.0", 5);
        List<FollowPlan> expected = List.of(newest, oldSame, youngSame, twinA, twinB);
        for (int seed = 0; seed < 5; seed++) {
            List<FollowPlan> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new java.util.Random(seed));
            assertThat(shuffled.stream().sorted(FollowPrecedence.ORDER).toList()).isEqualTo(expected);
        }
    }

    @Test
    void onlyTheFirstPlanThatWouldTakeTheNodeTakesItWhicheverIsEvaluated() {
        FollowPlan older = plan("kernel-7-9", "7.9.0", 1);
        FollowPlan newer = plan("kernel-7-10", "7.10.0", 60);
        FollowPrecedence p = new FollowPrecedence(List.of(older, newer));
        assertThat(p.before(older.uid(), NODE, FREE)).contains(newer);
        assertThat(p.before(newer.uid(), NODE, FREE)).isEmpty();
    }

    @Test
    void aHigherPlanThatWouldNotTakeTheNodeDoesNotHoldItBack() {
        FollowPlan mine = plan("mine", "7.9.0", 1);
        FollowPlan otherPool = new FollowPlan("other-pool", "uid-other-pool", T0, "8.0.0",
                new LabelSelectorBuilder().addToMatchLabels("pool", "db").build(), false);
        FollowPlan older = plan("older-kernel", "6.1.0", 0);   // would move the node back: NewerKernel for it
        FollowPlan atTarget = plan("at-target", "6.12.0", 0);  // the node already runs its release
        FollowPrecedence p = new FollowPrecedence(List.of(mine, otherPool, atTarget));
        assertThat(p.before(mine.uid(), NODE, FREE)).isEmpty();
        assertThat(new FollowPrecedence(List.of(mine, older)).before(mine.uid(), NODE, FREE)).isEmpty();

        FollowPlan done = plan("done", "8.0.0", 0);
        Outcome finished = new Outcome(UpdateResult.Finished, null, null, 1, T0, T0, true);
        assertThat(new FollowPrecedence(List.of(mine, done)).before(mine.uid(), NODE,
                lun(Map.of(done.uid(), finished), null))).as("took it before: never again").isEmpty();
        AgentReport remembers = new AgentReport(NodePhase.Idle, null, 1L, true, null, "b1", "6.12.0", null, null,
                null, done.uid(), UpdateResult.Finished);
        assertThat(new FollowPrecedence(List.of(mine, done)).before(mine.uid(), NODE, lun(Map.of(), remembers)))
                .isEmpty();
        assertThat(new FollowPrecedence(List.of(mine, done)).before(mine.uid(), NODE, null))
                .as("no agent: nobody takes it").isEmpty();
    }

    @Test
    void aDowngradingPlanCountsWhenItMayDowngrade() {
        FollowPlan mine = plan("mine", "6.1.0", 5);
        FollowPlan mayDowngrade = new FollowPlan("back", "uid-back", T0, "6.2.0",
                new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build(), true);
        assertThat(new FollowPrecedence(List.of(mine, mayDowngrade)).before(mine.uid(), NODE, FREE))
                .contains(mayDowngrade);
    }

    @Test
    void onlyLiveFollowPlansAreRanked() {
        LiveUpdateSpec spec = new LiveUpdateSpec();
        KernelSpec k = new KernelSpec();
        k.setRelease("7.9.0");
        spec.setKernel(k);
        spec.setStrategy(new RolloutStrategy());
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build());
        assertThat(FollowPlan.of("p", "u", T0.toString(), false, spec)).as("Frozen (the default)").isEmpty();
        spec.setNodeJoin(NodeJoinPolicy.Follow);
        Optional<FollowPlan> follow = FollowPlan.of("p", "u", T0.toString(), false, spec);
        assertThat(follow).hasValueSatisfying(f -> {
            assertThat(f.createdAt()).isEqualTo(T0);
            assertThat(f.kernelRelease()).isEqualTo("7.9.0");
        });
        assertThat(FollowPlan.of("p", "u", T0.toString(), true, spec)).as("being deleted").isEmpty();
        spec.setCancel(true);
        assertThat(FollowPlan.of("p", "u", T0.toString(), false, spec)).as("cancelled").isEmpty();
    }

    @Test
    void aPlanTheRankingDoesNotKnowYieldsToNobody() {
        FollowPrecedence p = new FollowPrecedence(List.of(plan("a", "9.0.0", 0), plan("b", "9.1.0", 0)));
        assertThat(p.before("uid-unknown", NODE, FREE)).isEmpty();
        assertThat(FollowPrecedence.NONE.before("uid-a", NODE, FREE)).isEmpty();
    }
}
