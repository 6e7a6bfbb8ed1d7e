package dev.liveupdate.kubectl;

import static dev.liveupdate.kubectl.Fixtures.node;
import static dev.liveupdate.kubectl.Fixtures.plan;
import static dev.liveupdate.kubectl.Fixtures.ref;
import static dev.liveupdate.kubectl.Fixtures.reports;
import static dev.liveupdate.kubectl.Fixtures.restoreHeld;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liveupdate.api.v1alpha1.AbiGeneration;
import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.UpdateOutcome;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodesRendererTest {
    static LiveUpdateNode inventory(LiveUpdateNode lun, boolean capable, AbiGeneration abi, String kernel, String reason) {
        NodeInventory inv = new NodeInventory();
        inv.setCapable(capable);
        inv.setAbi(abi);
        inv.setKernelRelease(kernel);
        inv.setAgentVersion("0.1.0");
        inv.setReason(reason);
        if (abi == AbiGeneration.A) {
            inv.setDeviceState(DeviceState.Normal);
        }
        lun.getStatus().setInventory(inv);
        lun.getStatus().setPhase(NodePhase.Idle);
        return lun;
    }

    static LiveUpdateNode lastUpdate(LiveUpdateNode lun, UpdateResult result, String reason, Long blackout) {
        UpdateOutcome o = new UpdateOutcome();
        o.setPlan(ref("kernel-7-2", "uid-72"));
        o.setResult(result);
        o.setReason(reason);
        o.setBlackoutMillis(blackout);
        lun.getStatus().setLastUpdate(o);
        return lun;
    }

    private List<InventoryRow> fleet() {
        LiveUpdateNode b = lastUpdate(inventory(node("node-b"), true, AbiGeneration.B, "7.2.0-1-amd64", null), UpdateResult.Finished, null, 850L);
        LiveUpdateNode a = lastUpdate(inventory(node("node-a"), true, AbiGeneration.A, "7.1.0-3-amd64", null), UpdateResult.Failed, "RestoreTimeout", 2300L);
        restoreHeld(reports(a, plan("kernel-7-2", "uid-72"), NodePhase.Failed, "RestoreTimeout", "timed out"), "kernel-7-2", "uid-72", "RestoreTimeout");
        LiveUpdateNode c = inventory(node("node-c"), false, AbiGeneration.None, "6.12.0", "no /dev/liveupdate (the kernel has no LUO)");
        return InventoryRows.of(List.of(b, c, a));
    }

    @Test
    void tableListsCapabilityAbiKernelAndLastResult() {
        String text = new NodesRenderer(new Style(false)).render(fleet());
        String[] lines = text.split("\n");
        assertThat(lines[0]).startsWith("NODE").contains("CAPABLE", "ABI", "DEVICE", "KERNEL", "AGENT", "PHASE", "PLAN", "LAST RESULT", "BLACKOUT");
        assertThat(lines[1]).startsWith("node-a").contains("yes", " A ", "Normal", "7.1.0-3-amd64", "Failed/RestoreTimeout (kernel-7-2)", "2.30s",
                "restore held: kubectl liveupdate release node-a");
        assertThat(lines[2]).startsWith("node-b").contains("yes", " B ", "7.2.0-1-amd64", "Finished (kernel-7-2)", "850ms");
        assertThat(lines[3]).startsWith("node-c").contains(" no ", "None", "no /dev/liveupdate (the kernel has no LUO)");
        assertThat(lines[4]).isEqualTo("3 node(s), 2 capable of a live update");
        // Columns line up: every row's ABI starts where the heading's does.
        int abi = lines[0].indexOf("ABI");
        assertThat(lines[1].charAt(abi)).isEqualTo('A');
        assertThat(lines[2].charAt(abi)).isEqualTo('B');
    }

    @Test
    void colourDoesNotShiftTheColumns() {
        String[] lines = new NodesRenderer(new Style(true)).render(fleet()).split("\n");
        String plain = lines[2].replaceAll("\u001b\\[[0-9;]*m", "");
        assertThat(lines[2]).contains("\u001b[32m");
        assertThat(plain).isEqualTo(new NodesRenderer(new Style(false)).render(fleet()).split("\n")[2]);
    }

    @Test
    void jsonIsOneObjectPerNode() throws Exception {
        JsonNode o = new ObjectMapper().readTree(JsonOutput.pretty(fleet()));
        assertThat(o.isArray()).isTrue();
        assertThat(o.get(0).path("node").asText()).isEqualTo("node-a");
        assertThat(o.get(0).path("restoreHeld").asBoolean()).isTrue();
        assertThat(o.get(0).path("lastResult").asText()).isEqualTo("Failed");
        assertThat(o.get(2).path("capable").asBoolean()).isFalse();
        assertThat(o.get(2).path("notCapableReason").asText()).contains("no /dev/liveupdate");
    }

    @Test
    void anEmptyFleetSaysWhy() {
        assertThat(new NodesRenderer(new Style(false)).render(List.of())).contains("no node agent has reported yet");
    }
}
