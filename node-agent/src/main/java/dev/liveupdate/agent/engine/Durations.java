package dev.liveupdate.agent.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API's duration strings (e.g. "15m", "1h30m", "90s", "500ms") and the blackout's human form ("3.20s"). */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private Durations() {
    }

    public static Duration parse(String text, Duration dflt) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        Matcher m = PART.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (end != text.trim().length() || end == 0) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return total;
    }

    /** Seconds with two decimals: what `kubectl get lun` shows in the Blackout column. */
    public static String human(long millis) {
        return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
    }
}
