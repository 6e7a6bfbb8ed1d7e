package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadStateTest {
    @TempDir
    Path dir;

    @Test
    void theLatestMilestoneOfTheLogWins() throws Exception {
        Path log = Files.writeString(dir.resolve("workload.log"), "PRESERVED session=vm-memory token=1\nsome noise\nVERIFIED abc\n");
        assertThat(WorkloadState.fromLog(log)).isEqualTo(WorkloadState.VERIFIED);
        assertThat(WorkloadState.fromLog(dir.resolve("absent.log"))).isEqualTo(WorkloadState.STARTING);
    }

    @Test
    void aWorkloadNotRestartedAfterTheKexecIsNotVerifiedAndReadable() throws Exception {
        assertThat(WorkloadState.NOT_RESTARTED.failed()).as("ends the sandbox's wait, exit 1").isTrue();
        assertThat(WorkloadState.NOT_RESTARTED.label()).isEqualTo("not restarted (no-reclaim)");
        // The sandbox decides it, never the workload's log (which still ends with the old boot's line).
        Path log = Files.writeString(dir.resolve("w.log"), "NOT-RESTARTED\n");
        assertThat(WorkloadState.fromLog(log)).isEqualTo(WorkloadState.STARTING);
    }
}
