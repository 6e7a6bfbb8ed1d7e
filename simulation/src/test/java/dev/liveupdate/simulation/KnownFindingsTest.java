package dev.liveupdate.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each recorded finding (docs/testing.md, "Findings") still happens on its replay (a shrunk schedule, or a seed as
 * drawn). When a fix makes one of these fail,
 * move its schedule to {@link RegressionSchedulesTest} and drop the finding from {@link KnownFindings}.
 */
class KnownFindingsTest {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "F1; -974081879987450628/318/119:NODE_DELETED_AND_READDED:6:4,317:SECOND_PLAN:6:5",
    })
    void theFindingStillHappens(String finding, String replay) {
        Schedule s = replay.contains("/") ? Schedule.parse(replay) : Schedule.draw(Long.parseLong(replay));
        Simulation.Result r = runner.run(s);
        assertThat(r.known()).as("%s%n%s%n%s", replay, r.violation(), r.summary()).startsWith(finding + ":");
    }
}
