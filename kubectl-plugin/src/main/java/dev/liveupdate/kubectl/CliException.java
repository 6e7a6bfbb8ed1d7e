package dev.liveupdate.kubectl;

/** A failure the user can act on: printed as one line on stderr, the process exits with {@link #exitCode()}. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    public static CliException refused(String message) {
        return new CliException(ExitCodes.PLAN_NOT_OK, message);
    }
}
