package dev.liveupdate.agent.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps with millisecond precision, as the status uses them. */
final class Times {
    private Times() {
    }

    static String now(Clock clock) {
        return format(clock.instant());
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
