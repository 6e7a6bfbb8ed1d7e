package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;

/** Loading and executing the target kernel: kexec_file_load, then sync + reboot(KEXEC). */
public final class Kexec {
    private Kexec() {}

    /**
     * kexec_file_load of {@code image} (and {@code initrd}, may be null) with {@code cmdline}. KHO
     * requires the in-kernel loader (the equivalent of {@code kexec -s}).
     */
    public static void load(KernelCalls calls, Path image, Path initrd, String cmdline) {
        int kernelFd = calls.open(image.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
        int initrdFd = -1;
        try {
            long flags = 0;
            if (initrd != null) {
                initrdFd = calls.open(initrd.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
            } else {
                flags |= KernelCalls.KEXEC_FILE_NO_INITRAMFS;
            }
            try {
                calls.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
            } catch (ErrnoException e) {
                throw new LuoException("kexec_file_load(" + image + ")", e, advice(e));
            }
        } finally {
            LuoDevices.closeQuietly(calls, kernelFd);
            if (initrdFd >= 0) {
                LuoDevices.closeQuietly(calls, initrdFd);
            }
        }
    }

    /** Drops a loaded image (kexec_file_load with KEXEC_FILE_UNLOAD). */
    public static void unload(KernelCalls calls) {
        calls.kexecFileLoad(-1, -1, "", KernelCalls.KEXEC_FILE_UNLOAD | KernelCalls.KEXEC_FILE_NO_INITRAMFS);
    }

    /**
     * sync(), then reboot(KEXEC). Does not return on success. The caller must still hold its device
     * and session fds: they are what keeps the sessions alive into the hand-over.
     */
    public static void execute(KernelCalls calls) {
        calls.sync();
        try {
            calls.reboot(KernelCalls.LINUX_REBOOT_CMD_KEXEC);
        } catch (ErrnoException e) {
            throw new LuoException("reboot(LINUX_REBOOT_CMD_KEXEC)", e, e.is(Errno.EINVAL)
                    ? "no kernel is loaded (kexec_file_load first)"
                    : "the live update did not start; on generation A a failed freeze returns the device to NORMAL");
        }
    }

    private static String advice(ErrnoException e) {
        if (e.is(Errno.EPERM)) {
            return "needs CAP_SYS_BOOT (and kexec not disabled by kernel.kexec_load_disabled)";
        }
        if (e.is(Errno.ENOEXEC)) {
            return "the image is not a kernel this loader accepts";
        }
        return null;
    }
}
