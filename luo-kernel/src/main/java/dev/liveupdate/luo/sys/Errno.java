package dev.liveupdate.luo.sys;

import java.util.HashMap;
import java.util.Map;

/**
 * The errno values this layer names. Numbers are the asm-generic ones shared by x86-64, arm64 and
 * riscv (the only architectures LUO exists on), so one table serves all of them.
 */
public enum Errno {
    EPERM(1, "operation not permitted"),
    ENOENT(2, "no such file or directory / no such entry"),
    ESRCH(3, "no such process"),
    EINTR(4, "interrupted system call"),
    EIO(5, "input/output error"),
    ENXIO(6, "no such device or address"),
    E2BIG(7, "argument struct larger than the kernel's with non-zero extra bytes"),
    ENOEXEC(8, "exec format error"),
    EBADF(9, "bad file descriptor"),
    EAGAIN(11, "try again (wrong state)"),
    ENOMEM(12, "out of memory"),
    EACCES(13, "permission denied"),
    EFAULT(14, "bad address"),
    EBUSY(16, "device or resource busy"),
    EEXIST(17, "already exists"),
    EXDEV(18, "cross-device link (openat2: the path leaves the directory it must stay beneath)"),
    ENODEV(19, "no such device"),
    ENOTDIR(20, "not a directory"),
    EINVAL(22, "invalid argument"),
    ENFILE(23, "file table overflow"),
    EMFILE(24, "too many open files"),
    ENOTTY(25, "inappropriate ioctl for device"),
    ENOSPC(28, "no space left (per-session file limit)"),
    ESPIPE(29, "illegal seek"),
    ERANGE(34, "result out of range"),
    ENOSYS(38, "function not implemented"),
    ELOOP(40, "too many levels of symbolic links (openat2: a symlink where none may be followed)"),
    EOPNOTSUPP(95, "operation not supported"),
    EADDRINUSE(98, "already in use (session already retrieved)"),
    EOVERFLOW(75, "value too large");

    private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

    static {
        for (Errno e : values()) {
            BY_NUMBER.put(e.number, e);
        }
    }

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    public int number() {
        return number;
    }

    public String description() {
        return description;
    }

    /** The named errno for {@code number}, or {@code null} if this layer does not name it. */
    public static Errno of(int number) {
        return BY_NUMBER.get(number);
    }

    /** "EBUSY" for known numbers, "errno 123" otherwise. */
    public static String nameOf(int number) {
        Errno e = of(number);
        return e != null ? e.name() : "errno " + number;
    }
}
