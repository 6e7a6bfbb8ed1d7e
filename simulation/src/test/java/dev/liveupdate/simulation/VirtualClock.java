package dev.liveupdate.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulation's only time: it moves when the scheduler moves it (time passing, or a wall-clock jump), never by
 * itself. A jump moves the wall clock only, as an NTP step does; elapsed (monotonic) time moves with time passing.
 */
final class VirtualClock extends Clock {
    private Instant now = Instant.parse("2026-03-02T10:00:00Z"); // a Monday morning
    private long elapsedNanos;

    /** Time passes: the wall clock and the monotonic clock both move. */
    void advance(Duration d) {
        now = now.plus(d);
        elapsedNanos += d.toNanos();
    }

    /** The wall clock is stepped (NTP, set by hand); no time passes. */
    void jump(Duration d) {
        now = now.plus(d);
    }

    long monotonicNanos() {
        return elapsedNanos;
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
