package dev.liveupdate.agent.staging;

/**
 * A download that did not end in a verified staged file. {@code reason} is what status.staging[].reason shows (one
 * word a person can look up: KernelSourceNotAllowed, ChecksumMismatch, TooLarge, Stalled, ...); the message says what
 * happened and what to do.
 */
public final class StagingFailed extends Exception {
    private final String reason;

    public StagingFailed(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
