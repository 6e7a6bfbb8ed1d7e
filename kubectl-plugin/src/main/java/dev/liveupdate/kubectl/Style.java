package dev.liveupdate.kubectl;

import java.util.Set;

/** ANSI colour for phases and headings, or none. Renderers call it for every coloured word, so plain output is the same text. */
public final class Style {
    private static final String RESET = "\u001b[0m";
    private static final Set<String> GOOD = Set.of("Succeeded", "Finished", "Updated", "True", "Normal", "yes");
    private static final Set<String> BAD = Set.of("Failed", "Halted", "Cancelled", "Stalled", "no");
    private static final Set<String> WAITING = Set.of("Paused", "Pending", "Prepared", "Preparing", "Rebooting",
            "Restoring", "Progressing", "Blocked");

    private final boolean colour;

    public Style(boolean colour) {
        this.colour = colour;
    }

    public boolean colour() {
        return colour;
    }

    /** A phase, result or yes/no: green when good, red when bad, yellow while moving. */
    public String phase(String word) {
        if (word == null) {
            return "-";
        }
        if (GOOD.contains(word)) {
            return paint("32", word);
        }
        if (BAD.contains(word)) {
            return paint("31", word);
        }
        if (WAITING.contains(word)) {
            return paint("33", word);
        }
        return word;
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String yellow(String text) {
        return paint("33", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    public String dim(String text) {
        return paint("2", text);
    }

    private String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + RESET : text;
    }

    /** Visible width: ANSI escapes take no columns. */
    static int width(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
