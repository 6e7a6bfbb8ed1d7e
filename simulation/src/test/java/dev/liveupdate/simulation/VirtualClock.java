package dev.liveupdate.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's only time: it moves when the scheduler moves it (small steps, or a jump), never by itself. */
final class VirtualClock extends Clock {
    private Instant now = Instant.parse("2026-03-02T10:00:00Z"); // a Monday morning

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
