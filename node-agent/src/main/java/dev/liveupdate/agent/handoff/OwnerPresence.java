package dev.liveupdate.agent.handoff;

/** Whether a workload that handed files over still exists on this node; the agent releases a gone pod's files after a grace. */
@FunctionalInterface
public interface OwnerPresence {
    enum Presence {
        /** It exists (running, or waiting to be started again, e.g. after a kexec). */
        PRESENT,
        /** It is known not to exist any more. */
        GONE,
        /** The agent cannot tell; never counts as gone. */
        UNKNOWN
    }

    /** Never tells anything: nothing is ever released. */
    OwnerPresence UNKNOWN = owner -> Presence.UNKNOWN;

    Presence of(Owner owner);
}
