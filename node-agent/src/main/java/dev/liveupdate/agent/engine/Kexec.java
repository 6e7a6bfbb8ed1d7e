package dev.liveupdate.agent.engine;

import dev.liveupdate.luo.sys.KernelCalls;

/**
 * The last act of the old kernel. Direct: sync() then reboot(LINUX_REBOOT_CMD_KEXEC) on the real
 * kernel. Simulated: the same two calls on the simulator's KernelCalls, whose reboot hands the
 * sessions over on disk and ends this process as the real kernel would.
 */
public interface Kexec {
    /** Does not return when the kexec happens; throws ErrnoException when the kernel refuses. */
    void execute();

    static Kexec through(KernelCalls calls) {
        return () -> {
            calls.sync();
            calls.reboot(KernelCalls.LINUX_REBOOT_CMD_KEXEC);
        };
    }
}
