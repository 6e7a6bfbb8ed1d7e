package dev.liveupdate.simulation;

/**
 * The one place that says what an agent restart before the kexec leads to. Today the node fails with SessionsLost
 * (the kernel destroyed the dead process's sessions) and the plan halts at its failure budget; issue #14 item 4
 * changes that to a bounded re-prepare. Switch {@link #CURRENT} when that lands.
 */
enum AgentRestartExpectation {
    /** The node fails with reason SessionsLost. */
    FAILS_SESSIONS_LOST,
    /** The node prepares again (bounded retries); SessionsLost before the kexec is then a finding. */
    REPREPARES;

    static final AgentRestartExpectation CURRENT = REPREPARES;

    /** Whether a node may fail with this reason after its agent restarted before the kexec. */
    boolean allowsFailure(String reason) {
        return this == FAILS_SESSIONS_LOST || !"SessionsLost".equals(reason);
    }
}
