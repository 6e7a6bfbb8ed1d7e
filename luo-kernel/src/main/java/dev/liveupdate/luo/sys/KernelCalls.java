package dev.liveupdate.luo.sys;

import com.sun.jna.Pointer;

/**
 * The only door from this project to the kernel. Everything that touches {@code /dev/liveupdate},
 * memfds, kexec and reboot goes through here, so that the same code runs against the real kernel
 * ({@link LibcKernelCalls}) or the simulator ({@code dev.liveupdate.luo.sim.SimulatedKernel}).
 *
 * <p>Every method throws {@link ErrnoException} when the call returns -1; return values are the
 * syscall's non-negative result. File descriptors are plain ints owned by the caller.
 */
public interface KernelCalls {
    /** open(2) flags and friends (asm-generic values: x86-64, arm64, riscv). */
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    /** An fd that only names a place (here: the directory openat2 resolves beneath); same value on x86-64 and arm64. */
    int O_PATH = 0x200000;
    /** openat2's dirfd meaning the current directory. */
    int AT_FDCWD = -100;
    /** openat2 resolve flags (include/uapi/linux/openat2.h). */
    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_NO_SYMLINKS = 0x04;
    long RESOLVE_BENEATH = 0x08;
    int MFD_CLOEXEC = 0x1;
    int MFD_ALLOW_SEALING = 0x2;
    int SEEK_SET = 0;
    int SEEK_CUR = 1;
    int SEEK_END = 2;
    /** reboot(2) command that jumps into the kernel loaded by kexec_file_load. */
    int LINUX_REBOOT_CMD_KEXEC = 0x45584543;
    /** kexec_file_load flags. */
    long KEXEC_FILE_UNLOAD = 0x1;
    long KEXEC_FILE_NO_INITRAMFS = 0x4;

    int open(String path, int flags);

    /**
     * openat2(dirfd, path, &amp;{flags, mode 0, resolve}, sizeof) by syscall number (437): opens {@code path} relative to
     * {@code dirfd} under the {@code RESOLVE_*} rules, e.g. {@link #RESOLVE_BENEATH} (EXDEV if the path leaves dirfd's
     * directory: "..", an absolute path) and {@link #RESOLVE_NO_SYMLINKS} (ELOOP at any symlink). ENOSYS before Linux 5.6.
     */
    int openat2(int dirfd, String path, int flags, long resolve);

    /** ioctl(fd, request, arg). {@code arg} is the struct memory the kernel reads and writes back. */
    int ioctl(int fd, long request, Pointer arg);

    void close(int fd);

    int dup(int fd);

    int memfdCreate(String name, int flags);

    /** read(2) into {@code buf[0..len)}; returns the bytes read (0 at end of file). */
    int read(int fd, byte[] buf, int len);

    /** write(2) from {@code buf[0..len)}; returns the bytes written. */
    int write(int fd, byte[] buf, int len);

    /** pread(2) into {@code buf[0..len)} at {@code offset} without moving the file position. */
    int pread(int fd, byte[] buf, int len, long offset);

    long lseek(int fd, long offset, int whence);

    void ftruncate(int fd, long length);

    /**
     * kexec_file_load(kernel_fd, initrd_fd, strlen(cmdline)+1, cmdline, flags) via syscall(2)
     * (x86-64: 320, arm64: 294). Pass initrdFd -1 together with {@link #KEXEC_FILE_NO_INITRAMFS}.
     */
    void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags);

    void sync();

    /**
     * reboot(0xfee1dead, 672274793, cmd, NULL). With {@link #LINUX_REBOOT_CMD_KEXEC} it does not
     * return on success: the running kernel (and with it this process) ends.
     */
    void reboot(int cmd);

    /**
     * fstat(2) of {@code fd}: device, inode, mode and size of the file behind it (EBADF if the fd is not open). Read
     * through the fd, so it describes exactly the file the fd holds, whatever its path now names.
     */
    FileStat fstat(int fd);

    /**
     * What {@code /proc/self/fd/<fd>} points to (e.g. "/memfd:vm-ram (deleted)"); EBADF if the fd is
     * not open.
     */
    String fdTarget(int fd);

    /**
     * The path that {@code /proc/<pid>/fd} links of holders of {@code requestedPath} point to. The
     * real kernel: the path itself; the simulator: its placeholder node in the state directory.
     * Used only to name the holders when open fails with EBUSY.
     */
    default String deviceLinkTarget(String requestedPath) {
        return requestedPath;
    }
}
