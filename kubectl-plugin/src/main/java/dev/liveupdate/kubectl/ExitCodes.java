package dev.liveupdate.kubectl;

/** The plugin's exit codes, for scripts (docs/kubectl-plugin.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** status/watch: the plan is Halted, Failed or Cancelled; release/cancel: refused or not confirmed. */
    public static final int PLAN_NOT_OK = 1;
    /** Wrong arguments (picocli's usage-error code). */
    public static final int USAGE = 2;
    /** The plan or node does not exist. */
    public static final int NOT_FOUND = 3;
    /** The API server could not be reached or refused the request (RBAC, validation, conflict). */
    public static final int API_ERROR = 4;
    /** watch: --timeout passed before the plan reached a terminal phase. */
    public static final int TIMEOUT = 5;

    private ExitCodes() {
    }
}
