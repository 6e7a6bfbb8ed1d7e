package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeBlackout;
import dev.liveupdate.api.v1alpha1.PlanBlackout;

/** status.blackout from what the blackout budget saw; absent until a node finished through a reboot. */
final class BlackoutStatus {
    private BlackoutStatus() {
    }

    static PlanBlackout of(BlackoutBudgetRule.Verdict v) {
        if (v.measured() == 0 && v.unmeasured() == 0) {
            return null;
        }
        PlanBlackout b = new PlanBlackout();
        b.setMeasuredNodes(v.measured());
        b.setUnmeasuredNodes(v.unmeasured());
        if (v.percentileMillis() != null) {
            b.setPercentile(BlackoutLimits.label(v.quantile()));
            b.setPercentileMillis(v.percentileMillis());
            b.setPercentileDuration(BlackoutBudgetRule.human(v.percentileMillis()));
        }
        b.setWorstNodes(v.worst().isEmpty() ? null : v.worst().stream()
                .map(m -> new NodeBlackout(m.node(), m.millis(), BlackoutBudgetRule.human(m.millis()))).toList());
        b.setExceeded(v.exceeded());
        return b;
    }
}
