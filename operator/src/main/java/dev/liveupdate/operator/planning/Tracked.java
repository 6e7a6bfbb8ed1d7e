package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import java.time.Instant;

/** The planner's working notes about one node during one pass. */
final class Tracked {
    final NodeEntry entry;
    final boolean held;
    Ledger ledger;
    /** The agent's phase for this plan's current instruction, or null when the agent has not caught up. */
    NodePhase agentPhase;
    NodeBucket bucket;
    /** Why the node is blocked or skipped, for the message. */
    String note;
    /** Wave the node belongs to (0 when it never started). */
    int wave;
    /** Settled for the current target: nothing more to do in its wave. */
    boolean settled;
    /** When it settled, when known (outcome, settled or failure time). */
    Instant settledAt;
    /** Counted as done for the plan's completion (final for the current target). */
    boolean done;
    /** Reached the target (counted in progress). */
    boolean reachedTarget;
    Failure failure;
    /** Finished by a reboot of this plan: its blackout counts for the blackout budget. */
    boolean finishedByReboot;
    /** That reboot's blackout as the agent reported it, or null when it reported none. */
    Long blackoutMillis;
    /** A held node waiting at Prepared that may be asked to reboot by the wave logic. */
    boolean rebootCandidate;
    /** Disruptive because of this plan (asked to reboot, not yet verified back). */
    boolean disruptive;
    /** A LiveUpdateNode write was already planned for this node in this pass. */
    boolean lunWritten;
    /** A Node write (cordon/uncordon) was already planned in this pass. */
    boolean nodeWritten;
    Instant deadline;
    String holder;

    Tracked(NodeEntry entry, boolean held) {
        this.entry = entry;
        this.held = held;
    }

    String name() {
        return entry.name();
    }

    NodeView node() {
        return entry.node();
    }

    LunView lun() {
        return entry.lun();
    }

    /** Held back for now (it may start in a later wave); {@code note} says why. */
    void block(String note) {
        bucket = NodeBucket.BLOCKED;
        this.note = note;
    }

    /** Not taken (no agent, not capable, handled before) and counted as done; {@code note} says why. */
    void skip(String note) {
        bucket = NodeBucket.SKIPPED;
        this.note = note;
        done = true;
    }
}
