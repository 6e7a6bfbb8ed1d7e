package dev.liveupdate.luo.sys;

/**
 * Facts about the running kernel that change across a (simulated) kexec. The real one reads /proc
 * ({@link ProcHostInfo}); the simulator's reads its state directory, because after a simulated
 * kexec the boot ID and release must change while the host's do not.
 */
public interface HostInfo {
    /** /proc/sys/kernel/random/boot_id: a new UUID every boot (Node.status.nodeInfo.bootID). */
    String bootId();

    /** What {@code uname -r} reports. */
    String kernelRelease();

    /** /proc/cmdline, trimmed. */
    String kernelCmdline();

    /**
     * The active mode of /sys/kernel/security/lockdown ("none", "integrity" or "confidentiality", the bracketed
     * one), or null when it cannot be read (no securityfs, no LSM, not mounted in the agent's container).
     */
    default String lockdown() {
        return null;
    }

    /** Whether the kernel was built with CONFIG_KEXEC_SIG_FORCE=y (signature enforced on kexec images); null: unknown. */
    default Boolean kexecSignatureEnforced() {
        return null;
    }

    /** /proc/sys/kernel/kexec_load_disabled: true when this boot refuses every kexec load; null: unreadable. */
    default Boolean kexecLoadDisabled() {
        return null;
    }
}
