package dev.liveupdate.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's duration strings ({@link ApiPatterns#DURATION}: "90s", "1h30m", "250ms"), parsed in one place for the
 * operator and the agent. The CRD pattern already rejects anything else at the API server.
 */
public final class ApiDurations {
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private ApiDurations() {
    }

    /** @return the duration, or {@code fallback} when {@code text} is null or blank */
    public static Duration parse(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String trimmed = text.trim();
        Matcher m = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != trimmed.length() || end == 0) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return total;
    }
}
