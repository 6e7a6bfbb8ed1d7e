package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.UpdateOutcome;
import java.util.Comparator;
import java.util.List;

/** The fleet's inventory rows, by node name. */
final class InventoryRows {
    private InventoryRows() {
    }

    static List<InventoryRow> of(List<LiveUpdateNode> luns) {
        return luns.stream().map(InventoryRows::row).sorted(Comparator.comparing(InventoryRow::node)).toList();
    }

    static InventoryRow row(LiveUpdateNode lun) {
        LiveUpdateNodeStatus st = lun.getStatus() == null ? new LiveUpdateNodeStatus() : lun.getStatus();
        NodeInventory inv = st.getInventory() == null ? new NodeInventory() : st.getInventory();
        UpdateOutcome last = st.getLastUpdate() == null ? new UpdateOutcome() : st.getLastUpdate();
        String plan = lun.getSpec() != null && lun.getSpec().getInstruction() != null
                && lun.getSpec().getInstruction().getPlan() != null ? lun.getSpec().getInstruction().getPlan().getName() : null;
        return new InventoryRow(lun.getMetadata().getName(), inv.getCapable(),
                inv.getAbi() == null ? null : inv.getAbi().name(),
                inv.getDeviceState() == null ? null : inv.getDeviceState().name(), inv.getKernelRelease(),
                inv.getAgentVersion(), inv.getReason(), st.getPhase() == null ? null : st.getPhase().name(), plan,
                last.getResult() == null ? null : last.getResult().name(),
                last.getPlan() == null ? null : last.getPlan().getName(), last.getReason(), last.getBlackoutMillis(),
                last.getCompletedAt(), NodeRows.restoreHeld(lun.getStatus()));
    }
}
