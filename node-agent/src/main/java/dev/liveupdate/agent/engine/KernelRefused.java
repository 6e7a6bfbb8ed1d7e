package dev.liveupdate.agent.engine;

/** The agent will not load this kernel file (missing, outside the kernel directories, wrong checksum, ...): why, for the status. */
final class KernelRefused extends Exception {
    private final Failure failure;

    KernelRefused(String reason, String message) {
        super(reason + ": " + message);
        this.failure = new Failure(reason, message);
    }

    Failure failure() {
        return failure;
    }
}
