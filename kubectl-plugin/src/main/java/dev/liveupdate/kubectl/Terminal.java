package dev.liveupdate.kubectl;

/**
 * What the output goes to: colour only on a terminal and only when NO_COLOR is unset (https://no-color.org); a
 * terminal also gets watch's redraw in place.
 */
public record Terminal(boolean interactive, boolean colour) {
    public static final Terminal PLAIN = new Terminal(false, false);

    /** Set by bin/kubectl-liveupdate from {@code [ -t 1 ]}: System.console() also looks at stdin, and newer JDKs return one when redirected. */
    static final String STDOUT_TTY_PROPERTY = "liveupdate.stdout.tty";

    public static Terminal detect() {
        String told = System.getProperty(STDOUT_TTY_PROPERTY);
        boolean tty = told != null ? "true".equals(told) : System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        boolean dumb = "dumb".equals(System.getenv("TERM"));
        return of(tty, noColor, dumb);
    }

    static Terminal of(boolean tty, String noColor, boolean dumbTerm) {
        return new Terminal(tty, tty && !dumbTerm && (noColor == null || noColor.isEmpty()));
    }

    public Style style() {
        return new Style(colour);
    }
}
