package dev.liveupdate.luo;

/**
 * The two incompatible /dev/liveupdate ABIs that share ioctl type 0xBA. Detected once per open
 * device by {@link LuoDevices#open} and bound for the life of that open file.
 */
public enum Generation {
    /**
     * The v4 patch series (Sept 2025, out of tree): global state machine (GET_STATE/SET_EVENT),
     * 56-byte session names, UNPRESERVE_FD, per-session state and events.
     */
    A,
    /**
     * Mainline since Linux 6.19 (7.x adds GET_NAME): no global state, 64-byte session names,
     * per-session FINISH, limits of 128 files per session and a session count limit.
     */
    B;

    /** Longest session name in bytes, excluding the terminating NUL (A: 56-1, B: 64-1). */
    public int maxSessionNameBytes() {
        return this == A ? 55 : 63;
    }

    /** Whether this generation has the global state machine (GET_STATE/SET_EVENT). */
    public boolean hasGlobalState() {
        return this == A;
    }
}
