package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.Blackout;
import org.junit.jupiter.api.Test;

class BlackoutBreakdownTest {
    @Test
    void everyStepIsTheTimeSinceTheRebootWithTheApiServerLast() {
        Blackout b = new Blackout();
        b.setRebootIssuedAt("2026-12-07T06:00:00Z");
        b.setAgentStartedAt("2026-12-07T06:00:01.200Z");
        b.setDeviceReopenedAt("2026-12-07T06:00:01.400Z");
        b.setSessionsRetrievedAt("2026-12-07T06:00:01.410Z");
        b.setSocketServingAt("2026-12-07T06:00:01.450Z");
        b.setFirstFilesTakenAt("2026-12-07T06:00:01.470Z");
        b.setLastFilesTakenAt("2026-12-07T06:00:01.520Z");
        b.setSessionsRestoredAt("2026-12-07T06:00:01.530Z");
        b.setApiConnectedAt("2026-12-07T06:00:02.900Z");

        assertThat(BlackoutBreakdown.line(b))
                .isEqualTo("agent 1.20s > device 1.40s > sessions 1.41s > socket 1.45s > fds 1.47s-1.52s > rule 1.53s | API 2.90s");
    }

    @Test
    void theFreezeBeforeTheRebootIsShownAsItsOwnLength() {
        Blackout b = new Blackout();
        b.setFreezeStartedAt("2026-12-07T05:59:59.950Z");
        b.setFreezeMillis(48L);
        b.setRebootIssuedAt("2026-12-07T06:00:00Z");
        b.setDeviceReopenedAt("2026-12-07T06:00:01.400Z");

        assertThat(BlackoutBreakdown.line(b)).isEqualTo("freeze 0.05s + device 1.40s");
    }

    @Test
    void stepsAnOlderAgentDoesNotReportAreLeftOut() {
        Blackout b = new Blackout();
        b.setRebootIssuedAt("2026-12-07T06:00:00Z");
        b.setDeviceReopenedAt("2026-12-07T06:00:03Z");
        b.setSessionsRestoredAt("2026-12-07T06:00:04Z");

        assertThat(BlackoutBreakdown.line(b)).isEqualTo("device 3.00s > rule 4.00s");
        assertThat(BlackoutBreakdown.line(new Blackout())).isNull();
        assertThat(BlackoutBreakdown.line(null)).isNull();
    }
}
