package dev.liveupdate.operator.planning;

import java.util.List;

/**
 * The plan's pod health gates on one node, asked of the API server. The planner asks only about nodes verified in the
 * new kernel and waiting on their gates, so the cost is bounded by the nodes in flight, not the fleet.
 */
@FunctionalInterface
public interface HealthProbe {
    HealthProbe NONE = node -> List.of();

    /**
     * @return what keeps the pod gates from holding on the node, one line per pod (gate name, pod, why), or an empty
     *         list when every gate holds
     */
    List<String> unhealthyPods(String nodeName);

    /** The plan's check pod on the node: started if it was not, then its state (only asked when the plan has one). */
    default CheckPodResult checkPod(String nodeName) {
        return CheckPodResult.PASSED;
    }

    /** Where a node's check pod stands; {@code text} says what a person needs to know when it did not pass. */
    record CheckPodResult(State state, String text) {
        public static final CheckPodResult PASSED = new CheckPodResult(State.PASSED, null);

        public enum State { PASSED, WAITING, FAILED }
    }
}
