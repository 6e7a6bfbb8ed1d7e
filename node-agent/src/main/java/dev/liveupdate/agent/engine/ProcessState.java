package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;

/**
 * What this agent process holds in memory and loses when it dies: the status it reports and the runs it drives. The
 * step handlers share it (one thread, see {@code EngineLoop}); {@link Recovery} rebuilds what can be rebuilt after a
 * restart.
 */
final class ProcessState {
    /** Null until {@link StepEngine#start}: the last reported status is known only then. */
    StatusReporter reporter;
    /** This boot's preparation for a plan (protocol steps 2 to 4), or null. */
    OutgoingRun outgoing;
    /** The update this boot came out of (protocol steps 5 to 7), or null. */
    IncomingRun incoming;

    LiveUpdateNodeStatus status() {
        return reporter.status();
    }

    /** Undoes this boot's preparation (sessions, staged kernel, PREPARE) and forgets it. */
    void dropOutgoing() {
        outgoing.release();
        outgoing = null;
    }
}
