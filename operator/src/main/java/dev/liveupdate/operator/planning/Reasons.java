package dev.liveupdate.operator.planning;

/** Machine-readable reasons the operator writes (conditions, failures, cancels, events). */
public final class Reasons {
    public static final String PREPARE_TIMEOUT = "PrepareTimeout";
    public static final String REBOOT_TIMEOUT = "RebootTimeout";
    public static final String FINISH_TIMEOUT = "FinishTimeout";
    public static final String KERNEL_MISMATCH = "KernelMismatch";
    /** A node verified in the new kernel whose health gates did not hold within their timeout. */
    public static final String HEALTH_GATE_FAILED = "HealthGateFailed";
    public static final String PREPARE_FAILED = "PrepareFailed";
    public static final String UPDATE_FAILED = "UpdateFailed";
    public static final String FINISH_FAILED = "FinishFailed";
    public static final String CANCEL_FAILED = "CancelFailed";
    public static final String REBOOTED_BEFORE = "RebootedBefore";

    public static final String CANCEL_PLAN = "PlanCancelled";
    public static final String CANCEL_DELETED = "PlanDeleted";
    public static final String CANCEL_BARRIER = "BarrierBroken";
    public static final String CANCEL_LEFT_SELECTOR = "LeftSelector";
    public static final String CANCEL_FAILED_NODE = "NodeFailed";

    public static final String NO_AGENT = "NoAgent";
    public static final String NOT_CAPABLE = "NotCapable";
    public static final String HANDLED_BEFORE = "HandledBefore";
    /** A restore of this plan found on a node no instruction holds (its LiveUpdateNode was created again). */
    public static final String RESTORE_TAKEN_BACK = "RestoreTakenBack";
    public static final String ALREADY_AT_TARGET = "AlreadyAtTarget";
    public static final String NEWER_KERNEL = "NewerKernel";
    public static final String CONTROL_PLANE = "ControlPlaneNode";
    public static final String JOINED_AFTER_START = "JoinedAfterStart";
    public static final String FOLLOW_PRECEDENCE = "FollowPrecedence";
    public static final String HELD_BY_OTHER_PLAN = "HeldByOtherPlan";
    public static final String NODE_NOT_READY = "NodeNotReady";
    public static final String NODE_CORDONED = "NodeCordoned";
    /** Another actor reports MaintenanceInProgress, DrainInProgress or a graceful shutdown on the Node (KEP-5683). */
    public static final String NODE_IN_MAINTENANCE = "NodeInMaintenance";
    public static final String BLOCKER_POD = "BlockerPod";
    public static final String AGENT_BUSY = "AgentBusy";
    /** An instruction whose plan no longer exists (or never did), cleared by the operator. */
    public static final String PLAN_GONE = "PlanGone";
    /** A finished node's blackout over strategy.blackoutBudget.maxPerNode, or the percentile over its bound. */
    public static final String BLACKOUT_BUDGET_EXCEEDED = "BlackoutBudgetExceeded";

    private Reasons() {
    }
}
