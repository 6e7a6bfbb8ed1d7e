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
}
