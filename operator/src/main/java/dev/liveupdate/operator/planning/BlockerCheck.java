package dev.liveupdate.operator.planning;

import java.util.Optional;

/**
 * Whether pods matching one of the plan's blockers run on a node. The planner asks only about nodes it is about to
 * start, so the cost is bounded by the wave size, not the fleet.
 */
@FunctionalInterface
public interface BlockerCheck {
    BlockerCheck NONE = node -> Optional.empty();

    /** @return a description of the blocking pod (blocker name and pod), or empty when the node is free to start */
    Optional<String> blockingPod(String nodeName);
}
