package dev.liveupdate.operator.planning;

import java.util.Map;

/**
 * What the planner needs to know about one Node, already trimmed from the informer cache.
 *
 * @param cordonedBy value of the {@code liveupdate.dev/cordoned-by} annotation (a plan uid), or null
 * @param bootID     the node's boot ID (from nodeInfo, or from the agent when nodeInfo has none)
 * @param maintenance the Node lifecycle conditions: another actor's maintenance, and the ones this operator set
 * @param readySince  the last transition of the Ready condition (null when unknown): how long it has been Ready
 */
public record NodeView(String name, Map<String, String> labels, boolean ready, boolean unschedulable,
        String cordonedBy, String bootID, String kernelRelease, String resourceVersion, java.time.Instant createdAt,
        NodeMaintenance maintenance, java.time.Instant readySince) {

    public NodeView {
        maintenance = maintenance == null ? NodeMaintenance.NONE : maintenance;
    }

    /** A node whose Ready transition time is unknown. */
    public NodeView(String name, Map<String, String> labels, boolean ready, boolean unschedulable, String cordonedBy,
            String bootID, String kernelRelease, String resourceVersion, java.time.Instant createdAt,
            NodeMaintenance maintenance) {
        this(name, labels, ready, unschedulable, cordonedBy, bootID, kernelRelease, resourceVersion, createdAt,
                maintenance, null);
    }

    /** A node without lifecycle conditions. */
    public NodeView(String name, Map<String, String> labels, boolean ready, boolean unschedulable, String cordonedBy,
            String bootID, String kernelRelease, String resourceVersion, java.time.Instant createdAt) {
        this(name, labels, ready, unschedulable, cordonedBy, bootID, kernelRelease, resourceVersion, createdAt,
                (NodeMaintenance) null);
    }

    /** A node whose creation time is unknown (it never counts as joined after a plan started). */
    public NodeView(String name, Map<String, String> labels, boolean ready, boolean unschedulable, String cordonedBy,
            String bootID, String kernelRelease, String resourceVersion) {
        this(name, labels, ready, unschedulable, cordonedBy, bootID, kernelRelease, resourceVersion, null,
                (NodeMaintenance) null);
    }

    public boolean cordonedBy(String planUid) {
        return planUid.equals(cordonedBy);
    }

    /** Another actor reports maintenance, a drain or a shutdown on this node (null: none). */
    public String maintenanceByOthers() {
        return maintenance.byOthers();
    }

    /** Unavailable for reasons that count against every plan's budget. */
    public boolean unavailable() {
        return !ready || unschedulable;
    }
}
