package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.ApiDurations;
import java.time.Duration;
import java.util.Locale;

/** The API's duration strings (e.g. "15m", "1h30m", "90s", "500ms") and the blackout's human form ("3.20s"). */
public final class Durations {

    private Durations() {
    }

    /** The API's duration strings; see {@link ApiDurations}. */
    public static Duration parse(String text, Duration dflt) {
        return ApiDurations.parse(text, dflt);
    }

    /** Seconds with two decimals: what `kubectl get lun` shows in the Blackout column. */
    public static String human(long millis) {
        return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
    }
}
