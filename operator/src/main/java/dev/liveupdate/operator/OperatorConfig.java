package dev.liveupdate.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The operator's own settings ({@code liveupdate.operator.*} in application.properties or env). */
@ConfigMapping(prefix = "liveupdate.operator")
public interface OperatorConfig {

    /**
     * Where a node's boot ID and kernel release come from for verification: {@code node-info} (the kubelet's
     * Node.status.nodeInfo), {@code agent} (the agent's inventory in LiveUpdateNode status), or {@code auto} (nodeInfo
     * when the Node reports a boot ID, else the agent; for clusters without kubelets such as the sandbox).
     */
    @WithDefault("auto")
    String bootIdentity();

    /** Namespace for Events about cluster-scoped LiveUpdates (kubectl describe lu shows them). */
    @WithDefault("default")
    String eventNamespace();

    /** Longest time between two evaluations of a plan when nothing changes. */
    @WithDefault("5m")
    Duration resyncInterval();

    /** Delay before retrying after a write lost a race (resourceVersion conflict). */
    @WithDefault("2s")
    Duration conflictRetry();

    /**
     * How many nodes' writes of one pass may be in flight at once (each node's own writes stay in order: its cordon
     * before its reboot instruction). 1 writes one after another; a wave of W nodes costs about W / this many write
     * latencies per step.
     */
    @WithDefault("16")
    int maxConcurrentWrites();

    /**
     * Whether plans publish the Node lifecycle conditions of Kubernetes KEP-5683 ({@code MaintenancePlanned} while a
     * node is picked and preparing, {@code MaintenanceInProgress} from its cordon until it is let go) on the Nodes'
     * status; needs {@code patch} on {@code nodes/status}. Another actor's maintenance, drain or shutdown condition
     * holds a node back whatever this says.
     */
    @WithDefault("true")
    boolean nodeLifecycleConditions();

    /**
     * Whether plans may update control-plane nodes (label node-role.kubernetes.io/control-plane or .../master). Off by
     * default: a selector such as {} would otherwise take the API server's own hosts; the admin opts in.
     */
    @WithDefault("false")
    boolean allowControlPlaneNodes();

    /**
     * The namespaces where blocker pods are looked for, comma-separated; empty: every namespace. Set it together with
     * the operator's RBAC (the chart's value operator.blockerNamespaces does both: Roles in these namespaces instead
     * of a ClusterRole for pods). A blocker naming a namespace outside this list holds its node back.
     */
    Optional<List<String>> blockerNamespaces();

    /**
     * The namespace where health-gate check pods run (as Jobs bound to their node); absent: a plan's checkPod gate
     * cannot run and does not hold. The chart's value operator.healthChecks.namespace sets it, creates the namespace
     * with Pod Security "restricted" enforced, and grants the operator Jobs there only.
     */
    @WithName("health-checks.namespace")
    Optional<String> healthChecksNamespace();

    /**
     * Image prefixes a check pod may use, comma-separated (e.g. registry.example.com/checks/); absent: any image
     * (the namespace's restricted Pod Security still confines what it can do).
     */
    @WithName("health-checks.allowed-images")
    Optional<List<String>> healthChecksAllowedImages();

    /**
     * The agent DaemonSet whose outdated pods the operator replaces, only on nodes no plan needs (agents.
     * AgentRolloutReconciler), when its updateStrategy is OnDelete; unset: the operator replaces no agent.
     */
    Optional<String> agentDaemonSet();

    /** The namespace of the agent DaemonSet: the operator's own (the chart's Role for pods and DaemonSets is there). */
    @WithDefault("default")
    String agentNamespace();

    /**
     * How many nodes' agents may be away at once while the operator replaces them: an integer, or a percentage of the
     * nodes running an agent (rounded up, at least 1). The chart sets it from agent.updateStrategy.rollingUpdate.
     * maxUnavailable, the same pace the DaemonSet controller would keep under RollingUpdate.
     */
    @WithDefault("10%")
    String agentMaxUnavailable();
}
