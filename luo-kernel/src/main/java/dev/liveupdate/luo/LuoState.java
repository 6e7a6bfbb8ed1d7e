package dev.liveupdate.luo;

/**
 * Generation-A states ({@code enum liveupdate_state}), used for both the global state machine and
 * per-session state. Generation B has no states.
 */
public enum LuoState {
    UNDEFINED(0),
    /** No update in progress. */
    NORMAL(1),
    /** PREPARE done; ready for reboot(KEXEC). New sessions are refused (EAGAIN). */
    PREPARED(2),
    /** Only inside reboot(KEXEC); never seen by a process that survives. */
    FROZEN(3),
    /** Booted by a live update; sessions can be retrieved until FINISH. */
    UPDATED(4);

    private final int value;

    LuoState(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The state for a kernel value; values the ABI does not define map to {@link #UNDEFINED}. */
    public static LuoState of(int value) {
        for (LuoState s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        return UNDEFINED;
    }
}
