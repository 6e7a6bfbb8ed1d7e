package dev.liveupdate.operator.planning;

import java.util.Map;

/**
 * The Node lifecycle conditions (Kubernetes KEP-5683) a Node carries, as the planner and the publisher need them:
 * whether another actor reports maintenance, a drain or a graceful shutdown in progress (the node is held back), and
 * which lifecycle conditions this operator set (its reasons start with {@link #OUR_REASON_PREFIX}).
 *
 * @param byOthers a description of another actor's active condition ("MaintenanceInProgress (Reason: message)"), or
 *     null when no other actor reports one
 * @param ours     condition type to message, for each lifecycle condition this operator set to True
 * @param othersTrue the lifecycle condition types another actor holds True (this operator never writes over them)
 */
public record NodeMaintenance(String byOthers, Map<String, String> ours, java.util.Set<String> othersTrue) {
    public static final String PLANNED = "MaintenancePlanned";
    public static final String IN_PROGRESS = "MaintenanceInProgress";
    public static final String DRAIN_IN_PROGRESS = "DrainInProgress";
    public static final String SHUTDOWN_IN_PROGRESS = "GracefulNodeShutdownInProgress";
    /** The condition types the trimmed Node cache keeps. */
    public static final java.util.Set<String> TYPES = java.util.Set.of(PLANNED, IN_PROGRESS, DRAIN_IN_PROGRESS,
            "Drained", SHUTDOWN_IN_PROGRESS);
    /** Another actor's condition of one of these types, True, holds a node back. */
    public static final java.util.List<String> HOLDING_TYPES = java.util.List.of(IN_PROGRESS, DRAIN_IN_PROGRESS,
            SHUTDOWN_IN_PROGRESS);
    /** Every reason this operator writes starts with it; a condition with another reason is another actor's. */
    public static final String OUR_REASON_PREFIX = "LiveUpdate";

    public static final NodeMaintenance NONE = new NodeMaintenance(null, Map.of(), java.util.Set.of());

    public NodeMaintenance {
        ours = ours == null ? Map.of() : Map.copyOf(ours);
        othersTrue = othersTrue == null ? java.util.Set.of() : java.util.Set.copyOf(othersTrue);
    }

    public static boolean ours(String reason) {
        return reason != null && reason.startsWith(OUR_REASON_PREFIX);
    }
}
