package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.ApiDurations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import dev.liveupdate.api.v1alpha1.Weekday;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowScheduleTest {
    static WindowSchedule window(String start, String end, String zone, Weekday... days) {
        MaintenanceWindow w = new MaintenanceWindow();
        w.setStart(start);
        w.setEnd(end);
        w.setTimeZone(zone);
        w.setDays(List.of(days));
        return WindowSchedule.from(w);
    }

    @Test
    void sameDayWindow() {
        WindowSchedule w = window("02:00", "05:00", "UTC");
        assertThat(w.isOpen(Instant.parse("2026-03-02T01:59:00Z"))).isFalse();
        assertThat(w.isOpen(Instant.parse("2026-03-02T02:00:00Z"))).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-03-02T04:59:59Z"))).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-03-02T05:00:00Z"))).isFalse();
    }

    @Test
    void windowAcrossMidnightBelongsToTheDayItOpens() {
        // Friday 22:00 to Saturday 04:00, Berlin (UTC+1 in March before DST).
        WindowSchedule w = window("22:00", "04:00", "Europe/Berlin", Weekday.Fri);
        assertThat(w.isOpen(Instant.parse("2026-03-06T21:30:00Z"))).isTrue(); // Fri 22:30
        assertThat(w.isOpen(Instant.parse("2026-03-07T02:30:00Z"))).isTrue(); // Sat 03:30
        assertThat(w.isOpen(Instant.parse("2026-03-07T03:00:00Z"))).isFalse(); // Sat 04:00
        assertThat(w.isOpen(Instant.parse("2026-03-07T21:30:00Z"))).isFalse(); // Sat 22:30: not a listed day
        assertThat(w.nextOpening(Instant.parse("2026-03-07T03:00:00Z")))
                .contains(Instant.parse("2026-03-13T21:00:00Z"));
    }

    @Test
    void timeZoneIsHonouredAcrossDaylightSaving() {
        WindowSchedule w = window("01:00", "02:00", "America/New_York");
        assertThat(w.isOpen(Instant.parse("2026-01-15T06:30:00Z"))).isTrue(); // EST 01:30
        assertThat(w.isOpen(Instant.parse("2026-07-15T05:30:00Z"))).isTrue(); // EDT 01:30
        assertThat(w.isOpen(Instant.parse("2026-07-15T06:30:00Z"))).isFalse();
    }

    @Test
    void unknownZoneIsAnError() {
        assertThatThrownBy(() -> window("01:00", "02:00", "Mars/Olympus")).hasMessageContaining("Mars/Olympus");
    }

    @Test
    void durations() {
        assertThat(ApiDurations.parse("1h30m", null)).hasMinutes(90);
        assertThat(ApiDurations.parse("250ms", null)).hasMillis(250);
        assertThat(ApiDurations.parse(null, java.time.Duration.ZERO)).isZero();
        assertThatThrownBy(() -> ApiDurations.parse("5 minutes", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
