package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which Node lifecycle conditions (KEP-5683) a plan publishes: {@code MaintenancePlanned} while it holds a node at
 * {@code Prepared} (picked for its wave, not yet cordoned), {@code MaintenanceInProgress} from its cordon (or its
 * reboot instruction, for a plan that does not cordon) until it lets the node go. Level-based: the conditions follow
 * what the Node and its LiveUpdateNode say now, so a pass after a crash repairs what an interrupted one left.
 *
 * <p>A plan writes only nodes it holds or cordoned, and nodes nobody holds or cordons (to clear what a released node
 * still carries); a node another plan holds is that plan's. It never writes a condition type another actor holds
 * True, and it removes only conditions whose reason says they are ours.
 */
public final class MaintenanceConditions {
    public static final String REASON_PLANNED = NodeMaintenance.OUR_REASON_PREFIX + "Planned";
    public static final String REASON_IN_PROGRESS = NodeMaintenance.OUR_REASON_PREFIX + "InProgress";

    /** A condition to set True. */
    public record Condition(String type, String reason, String message) {
    }

    /** What to write on one Node: conditions to set and types of ours to remove. */
    public record Change(String node, List<Condition> set, Set<String> remove) {
    }

    private final String planUid;
    private final String planName;
    private final String targetRelease;
    private final boolean cordons;

    public MaintenanceConditions(String planUid, String planName, String targetRelease, boolean cordons) {
        this.planUid = planUid;
        this.planName = planName;
        this.targetRelease = targetRelease;
        this.cordons = cordons;
    }

    public List<Change> changes(List<NodeEntry> entries) {
        List<Change> out = new ArrayList<>();
        for (NodeEntry e : entries) {
            if (e.node() == null || !mine(e)) {
                continue;
            }
            Map<String, Condition> want = desired(e);
            NodeMaintenance now = e.node().maintenance();
            List<Condition> set = new ArrayList<>();
            want.forEach((type, c) -> {
                if (!now.othersTrue().contains(type) && !c.message().equals(now.ours().get(type))) {
                    set.add(c);
                }
            });
            Set<String> remove = new TreeSet<>(now.ours().keySet());
            remove.removeAll(want.keySet());
            if (!set.isEmpty() || !remove.isEmpty()) {
                out.add(new Change(e.name(), List.copyOf(set), remove));
            }
        }
        return out;
    }

    /** Nodes this plan holds or cordoned, and nodes no plan holds or cordons. */
    private boolean mine(NodeEntry e) {
        LunView lun = e.lun();
        boolean heldByOther = lun != null && !lun.free() && !lun.heldBy(planUid);
        String cordoner = e.node().cordonedBy();
        boolean cordonedByOther = cordoner != null && !cordoner.equals(planUid);
        return !heldByOther && !cordonedByOther;
    }

    private Map<String, Condition> desired(NodeEntry e) {
        Map<String, Condition> want = new TreeMap<>();
        LunView lun = e.lun();
        boolean held = lun != null && lun.heldBy(planUid);
        NodeStep step = held ? lun.step() : null;
        if (e.node().cordonedBy(planUid) || step == NodeStep.Rebooted || step == NodeStep.Finished) {
            want.put(NodeMaintenance.IN_PROGRESS, new Condition(NodeMaintenance.IN_PROGRESS, REASON_IN_PROGRESS,
                    "LiveUpdate " + planName + ": live kernel update to " + targetRelease
                            + " in progress (workloads keep their memory across a kexec)"));
        } else if (step == NodeStep.Prepared) {
            Integer wave = lun.ledger() == null ? null : lun.ledger().wave();
            want.put(NodeMaintenance.PLANNED, new Condition(NodeMaintenance.PLANNED, REASON_PLANNED,
                    "LiveUpdate " + planName + " picked this node" + (wave == null ? "" : " for wave " + wave)
                            + ": preparing a live kernel update to " + targetRelease
                            + (cordons ? "; the node is cordoned before its kexec" : "")));
        }
        return want;
    }
}
