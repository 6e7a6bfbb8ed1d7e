package dev.liveupdate.luo.sys;

import com.sun.jna.Platform;

/** Syscall numbers glibc has no wrapper for (kexec_file_load) or wraps differently (reboot). */
final class SyscallNumbers {
    private SyscallNumbers() {}

    static long kexecFileLoad() {
        if (isX8664()) {
            return 320;
        }
        if (isArm64()) {
            return 294;
        }
        throw new ErrnoException(Errno.ENOSYS, "kexec_file_load", "unsupported architecture " + Platform.ARCH);
    }

    static long reboot() {
        if (isX8664()) {
            return 169;
        }
        if (isArm64()) {
            return 142;
        }
        throw new ErrnoException(Errno.ENOSYS, "reboot", "unsupported architecture " + Platform.ARCH);
    }

    /** openat2(2): one number on every architecture (added after the syscall tables were unified). */
    static long openat2() {
        if (isX8664() || isArm64()) {
            return 437;
        }
        throw new ErrnoException(Errno.ENOSYS, "openat2", "unsupported architecture " + Platform.ARCH);
    }

    /** statx(2): its struct is the same on every architecture, unlike struct stat. */
    static long statx() {
        if (isX8664()) {
            return 332;
        }
        if (isArm64()) {
            return 291;
        }
        throw new ErrnoException(Errno.ENOSYS, "statx", "unsupported architecture " + Platform.ARCH);
    }

    private static boolean isX8664() {
        return Platform.isLinux() && "x86-64".equals(Platform.ARCH);
    }

    private static boolean isArm64() {
        return Platform.isLinux() && "aarch64".equals(Platform.ARCH);
    }
}
