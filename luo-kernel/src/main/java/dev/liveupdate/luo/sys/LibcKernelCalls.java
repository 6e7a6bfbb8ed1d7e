package dev.liveupdate.luo.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * KernelCalls on the real kernel: JNA direct mapping to glibc, errno from {@link
 * LastErrorException}. LP64 only (x86-64, arm64): {@code unsigned long}/{@code size_t}/{@code
 * off_t} are Java longs.
 */
public final class LibcKernelCalls implements KernelCalls {

    /** Direct-mapped libc functions (no varargs in direct mapping: ioctl/open get fixed arity). */
    static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private Libc() {}

        static native int open(String path, int flags) throws LastErrorException;

        static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int dup(int fd) throws LastErrorException;

        static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        static native int memfd_create(String name, int flags) throws LastErrorException;

        static native long read(int fd, byte[] buf, long count) throws LastErrorException;

        static native long write(int fd, byte[] buf, long count) throws LastErrorException;

        static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

        static native long lseek(int fd, long offset, int whence) throws LastErrorException;

        static native int ftruncate(int fd, long length) throws LastErrorException;

        static native void sync();
    }

    /** syscall(2) is variadic, so it goes through interface mapping, which supports varargs. */
    interface Syscall extends Library {
        Syscall INSTANCE = Native.load(Platform.C_LIBRARY_NAME, Syscall.class);

        long syscall(long number, Object... args) throws LastErrorException;
    }

    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int LINUX_REBOOT_MAGIC1 = 0xfee1dead;
    private static final int LINUX_REBOOT_MAGIC2 = 672274793;

    @Override
    public int open(String path, int flags) {
        try {
            return Libc.open(path, flags);
        } catch (LastErrorException e) {
            throw fail(e, "open(" + path + ")");
        }
    }

    /** sizeof(struct open_how): u64 flags, u64 mode, u64 resolve. */
    private static final int OPEN_HOW_SIZE = 24;

    @Override
    public int openat2(int dirfd, String path, int flags, long resolve) {
        Memory how = new Memory(OPEN_HOW_SIZE);
        how.clear();
        how.setLong(0, flags & 0xffffffffL);
        how.setLong(8, 0);
        how.setLong(16, resolve);
        try {
            return (int) Syscall.INSTANCE.syscall(SyscallNumbers.openat2(), dirfd, path, how, (long) OPEN_HOW_SIZE);
        } catch (LastErrorException e) {
            throw fail(e, "openat2(" + path + ")");
        }
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        try {
            return Libc.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw fail(e, String.format("ioctl(%d, 0x%X)", fd, request));
        }
    }

    @Override
    public void close(int fd) {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            throw fail(e, "close(" + fd + ")");
        }
    }

    @Override
    public int dup(int fd) {
        try {
            return Libc.dup(fd);
        } catch (LastErrorException e) {
            throw fail(e, "dup(" + fd + ")");
        }
    }

    /** fcntl(fd, F_DUPFD_CLOEXEC, 0): like dup, but the new fd is close-on-exec (not in KernelCalls). */
    public int dupCloexec(int fd) {
        try {
            return Libc.fcntl(fd, F_DUPFD_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw fail(e, "fcntl(" + fd + ", F_DUPFD_CLOEXEC)");
        }
    }

    @Override
    public int memfdCreate(String name, int flags) {
        try {
            return Libc.memfd_create(name, flags);
        } catch (LastErrorException e) {
            throw fail(e, "memfd_create(" + name + ")");
        }
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        checkLength(buf, len);
        try {
            return (int) Libc.read(fd, buf, len);
        } catch (LastErrorException e) {
            throw fail(e, "read(" + fd + ")");
        }
    }

    @Override
    public int write(int fd, byte[] buf, int len) {
        checkLength(buf, len);
        try {
            return (int) Libc.write(fd, buf, len);
        } catch (LastErrorException e) {
            throw fail(e, "write(" + fd + ")");
        }
    }

    @Override
    public int pread(int fd, byte[] buf, int len, long offset) {
        checkLength(buf, len);
        try {
            return (int) Libc.pread(fd, buf, len, offset);
        } catch (LastErrorException e) {
            throw fail(e, "pread(" + fd + ")");
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        try {
            return Libc.lseek(fd, offset, whence);
        } catch (LastErrorException e) {
            throw fail(e, "lseek(" + fd + ")");
        }
    }

    @Override
    public void ftruncate(int fd, long length) {
        try {
            Libc.ftruncate(fd, length);
        } catch (LastErrorException e) {
            throw fail(e, "ftruncate(" + fd + ")");
        }
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        // cmdline_len counts the terminating NUL, as kexec-tools passes it.
        long cmdlineLength = cmdline == null ? 0 : cmdline.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        try {
            Syscall.INSTANCE.syscall(SyscallNumbers.kexecFileLoad(), kernelFd, initrdFd, cmdlineLength,
                    cmdlineLength == 0 ? null : cmdline, flags);
        } catch (LastErrorException e) {
            throw fail(e, "kexec_file_load");
        }
    }

    @Override
    public void sync() {
        Libc.sync();
    }

    @Override
    public void reboot(int cmd) {
        try {
            Syscall.INSTANCE.syscall(SyscallNumbers.reboot(), LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, Pointer.NULL);
        } catch (LastErrorException e) {
            throw fail(e, String.format("reboot(0x%X)", cmd));
        }
    }

    /** statx flags and mask, and where struct statx keeps what {@link FileStat} carries (include/uapi/linux/stat.h). */
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE_OF_STRUCT = 256;

    /**
     * fstat through statx(fd, "", AT_EMPTY_PATH) by syscall number: struct statx has one layout on every architecture
     * (struct stat differs between x86-64 and arm64), and glibc's wrappers for both are newer than some base images.
     */
    @Override
    public FileStat fstat(int fd) {
        Memory buf = new Memory(STATX_SIZE_OF_STRUCT);
        buf.clear();
        try {
            Syscall.INSTANCE.syscall(SyscallNumbers.statx(), fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, buf);
        } catch (LastErrorException e) {
            throw fail(e, "fstat(" + fd + ")");
        }
        int mode = buf.getShort(28) & 0xffff;
        long ino = buf.getLong(32);
        long size = buf.getLong(40);
        long major = buf.getInt(136) & 0xffffffffL;
        long minor = buf.getInt(140) & 0xffffffffL;
        return new FileStat(FileStat.makedev(major, minor), ino, mode, size);
    }

    @Override
    public String fdTarget(int fd) {
        return readFdLink(fd);
    }

    /** readlink(/proc/self/fd/N); EBADF if the fd is not open. Shared with the simulator. */
    public static String readFdLink(int fd) {
        if (fd < 0) {
            throw new ErrnoException(Errno.EBADF, "readlink(/proc/self/fd/" + fd + ")");
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException e) {
            throw new ErrnoException(Errno.EBADF, "readlink(/proc/self/fd/" + fd + ")");
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, "readlink(/proc/self/fd/" + fd + ")", e.getMessage());
        }
    }

    private static void checkLength(byte[] buf, int len) {
        if (len < 0 || len > buf.length) {
            throw new IllegalArgumentException("length " + len + " outside buffer of " + buf.length);
        }
    }

    private static ErrnoException fail(LastErrorException e, String call) {
        return new ErrnoException(e.getErrorCode(), call, null);
    }
}
