package dev.liveupdate.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.StatusReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a workload that keeps its file hands it over again: only to an agent of the same boot that forgot it. */
class HandOverAgainTest {
    private static StatusReport report(boolean updated, StatusReport.FileEntry... files) {
        return new StatusReport(new StatusReport.AgentInfo("node-1", "Preparing", "B", "boot-1", "6.12", "plan", updated), List.of(files));
    }

    private static StatusReport.FileEntry file(FileState state) {
        return new StatusReport.FileEntry("vm", 1, state, 1000, null);
    }

    @Test
    void aRestartedAgentThatForgotTheFileGetsItAgain() {
        assertThat(AgentClient.needsHandOver(report(false), "vm", 1)).isTrue();
        assertThat(AgentClient.needsHandOver(report(false, file(FileState.Lost)), "vm", 1)).isTrue();
    }

    @Test
    void aFileTheAgentHoldsIsNotHandedOverTwice() {
        assertThat(AgentClient.needsHandOver(report(false, file(FileState.Held)), "vm", 1)).isFalse();
        assertThat(AgentClient.needsHandOver(report(false, file(FileState.Preserved)), "vm", 1)).isFalse();
        assertThat(AgentClient.needsHandOver(report(false, new StatusReport.FileEntry("vm", 2, FileState.Held, 1000, null)), "vm", 1))
                .as("another token").isTrue();
    }

    @Test
    void afterALiveUpdateNothingIsHandedOverAgain() {
        assertThat(AgentClient.needsHandOver(report(true), "vm", 1)).isFalse();
        assertThat(AgentClient.needsHandOver(report(true, file(FileState.Lost)), "vm", 1)).isFalse();
    }
}
