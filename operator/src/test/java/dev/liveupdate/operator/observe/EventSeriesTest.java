package dev.liveupdate.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventSeriesTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final AtomicInteger names = new AtomicInteger();
    private final EventSeries series = new EventSeries();

    private EventSeries.Step at(String key, int seconds) {
        return series.next(key, T0.plusSeconds(seconds), () -> "event-" + names.incrementAndGet());
    }

    @Test
    void aRetriedPassSayingTheSameThingPostsNothingNew() {
        assertThat(at("halted", 0).kind()).isEqualTo(EventSeries.Step.Kind.CREATE);
        assertThat(at("halted", 2).kind()).isEqualTo(EventSeries.Step.Kind.DROP);
        assertThat(at("halted", 30).kind()).isEqualTo(EventSeries.Step.Kind.DROP);
        assertThat(names).hasValue(1);
    }

    @Test
    void aLaterRepeatRaisesTheCountOfTheSameEvent() {
        EventSeries.Step first = at("paused", 0);
        EventSeries.Step again = at("paused", 120);
        assertThat(again.kind()).isEqualTo(EventSeries.Step.Kind.INCREMENT);
        assertThat(again.name()).isEqualTo(first.name());
        assertThat(again.count()).isEqualTo(2);
        assertThat(at("paused", 240).count()).isEqualTo(3);
    }

    @Test
    void differentContentAndOldSeriesStartNewEvents() {
        EventSeries.Step a = at("node-1 failed", 0);
        EventSeries.Step b = at("node-2 failed", 1);
        assertThat(b.kind()).isEqualTo(EventSeries.Step.Kind.CREATE);
        assertThat(b.name()).isNotEqualTo(a.name());
        assertThat(at("node-1 failed", (int) EventSeries.SERIES_WINDOW.toSeconds() + 61).kind())
                .isEqualTo(EventSeries.Step.Kind.CREATE);
    }

    @Test
    void forgottenKeysStartOver() {
        at("x", 0);
        series.forget("x");
        assertThat(at("x", 1).kind()).isEqualTo(EventSeries.Step.Kind.CREATE);
    }
}
