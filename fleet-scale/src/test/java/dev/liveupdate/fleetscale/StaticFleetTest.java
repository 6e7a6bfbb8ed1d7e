package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StaticFleetTest {

    @Test
    void eachNodeGetsTheTemplateReportWithItsOwnBootIdAndLeavesTheTemplateAlone() {
        LiveUpdateNodeStatus template = new LiveUpdateNodeStatus();
        NodeInventory inventory = new NodeInventory();
        inventory.setCapable(true);
        inventory.setBootID("template-boot");
        inventory.setKernelRelease("7.2.0-fleet");
        template.setInventory(inventory);
        template.setMessage("no plan holds this node");

        LiveUpdateNodeStatus s = StaticFleet.statusFor(template, "node-boot", Instant.parse("2026-12-07T15:00:00Z"));

        assertThat(s.getInventory().getBootID()).isEqualTo("node-boot");
        assertThat(s.getInventory().getCapable()).isTrue();
        assertThat(s.getInventory().getKernelRelease()).isEqualTo("7.2.0-fleet");
        assertThat(s.getMessage()).isEqualTo("no plan holds this node");
        assertThat(s.getLastReportTime()).isEqualTo("2026-12-07T15:00:00Z");
        assertThat(template.getInventory().getBootID()).as("the template is not changed").isEqualTo("template-boot");
    }
}
