package dev.liveupdate.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shrunk schedules that once broke an invariant, kept as regression cases (docs/testing.md, "Findings"). */
class RegressionSchedulesTest {
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() throws Exception {
        ProtocolSimulationTest.quiet();
        runner = new ScheduleRunner();
    }

    @AfterAll
    static void clean() {
        runner.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Invariant 2: an uncordon refused with a 500 was counted as done (ReadYourWrites), so the pass after it
        // cordoned a second node with maxUnavailable 1. Fixed in ActionExecutor: only an uncertain cordon counts.
        "-4482472167024369278/156/44:AGENT_CRASH:3:7,132:OPERATOR_WRITE_FAULT:1:3",
    })
    void theScheduleNowKeepsEveryInvariant(String replay) {
        Simulation.Result r = runner.run(Schedule.parse(replay));
        assertThat(r.violation()).as("%s%n%s", replay, r.summary()).isNull();
    }
}
