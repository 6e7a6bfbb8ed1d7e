package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartupTimelineTest {
    private final AtomicLong uptime = new AtomicLong();
    private final StartupTimeline timeline = new StartupTimeline(uptime::get);

    @Test
    void theStepsAppearInTheOrderTheyHappenedWithTheirFirstTime() {
        uptime.set(812);
        timeline.mark(StartupTimeline.DEVICE_SETTLED);
        uptime.set(845);
        timeline.mark(StartupTimeline.SOCKET_SERVING);
        uptime.set(2101);
        timeline.mark(StartupTimeline.API_REACHED);
        uptime.set(2500);
        timeline.mark(StartupTimeline.SOCKET_SERVING); // a retried start: the first time stands
        uptime.set(2600);

        assertThat(timeline.readyLine("restore first")).isEqualTo(
                "agent ready after 2600 ms since JVM start; restore first: device settled 812, socket serving 845, API reached 2101");
        assertThat(timeline.at(StartupTimeline.SOCKET_SERVING)).isEqualTo(845);
    }

    @Test
    void withoutStepsTheLineStillSaysWhenTheAgentWasReady() {
        uptime.set(1500);
        assertThat(timeline.readyLine("API first")).isEqualTo("agent ready after 1500 ms since JVM start; API first");
    }
}
