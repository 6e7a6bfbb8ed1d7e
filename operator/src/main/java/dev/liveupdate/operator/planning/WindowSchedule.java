package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import dev.liveupdate.api.v1alpha1.Weekday;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A maintenance window in an IANA time zone. The window opens on the listed days at {@code start} and closes at
 * {@code end}; when end is not after start the window runs across midnight into the next day. Days name the day the
 * window opens on.
 */
public final class WindowSchedule {
    private final Set<DayOfWeek> days;
    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId zone;

    public WindowSchedule(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
        this.days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
        this.start = start;
        this.end = end;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with a message a person can act on (bad zone or time) */
    public static WindowSchedule from(MaintenanceWindow w) {
        ZoneId zone;
        try {
            zone = ZoneId.of(w.getTimeZone() == null ? "UTC" : w.getTimeZone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("window.timeZone " + w.getTimeZone() + " is not an IANA time zone");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (w.getDays() != null) {
            for (Weekday d : w.getDays()) {
                days.add(toDay(d));
            }
        }
        try {
            return new WindowSchedule(days, LocalTime.parse(w.getStart()), LocalTime.parse(w.getEnd()), zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("window start/end must be HH:MM: " + w.getStart() + "-" + w.getEnd());
        }
    }

    private static DayOfWeek toDay(Weekday d) {
        return switch (d) {
            case Mon -> DayOfWeek.MONDAY;
            case Tue -> DayOfWeek.TUESDAY;
            case Wed -> DayOfWeek.WEDNESDAY;
            case Thu -> DayOfWeek.THURSDAY;
            case Fri -> DayOfWeek.FRIDAY;
            case Sat -> DayOfWeek.SATURDAY;
            case Sun -> DayOfWeek.SUNDAY;
        };
    }

    private boolean crossesMidnight() {
        return !end.isAfter(start);
    }

    public boolean isOpen(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        // An opening today, or (for windows across midnight) one that opened yesterday.
        for (LocalDate openDay : new LocalDate[] {today, today.minusDays(1)}) {
            if (!days.contains(openDay.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime opens = ZonedDateTime.of(openDay, start, zone);
            ZonedDateTime closes = ZonedDateTime.of(crossesMidnight() ? openDay.plusDays(1) : openDay, end, zone);
            if (!now.isBefore(opens.toInstant()) && now.isBefore(closes.toInstant())) {
                return true;
            }
        }
        return false;
    }

    /** Next opening strictly after {@code now} (within two weeks), for requeueing. */
    public Optional<Instant> nextOpening(Instant now) {
        LocalDate day = now.atZone(zone).toLocalDate();
        for (int i = 0; i <= 14; i++) {
            LocalDate d = day.plusDays(i);
            if (days.contains(d.getDayOfWeek())) {
                Instant opens = ZonedDateTime.of(d, start, zone).toInstant();
                if (opens.isAfter(now)) {
                    return Optional.of(opens);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return days + " " + start + "-" + end + " " + zone;
    }
}
