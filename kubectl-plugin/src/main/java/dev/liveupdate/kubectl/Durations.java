package dev.liveupdate.kubectl;

/** Millisecond figures for people, as the agent writes them (4.21s, 850ms). */
final class Durations {
    private Durations() {
    }

    static String millis(Long ms) {
        if (ms == null) {
            return null;
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        return String.format(java.util.Locale.ROOT, "%.2fs", ms / 1000.0);
    }
}
