package dev.liveupdate.luo.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libc backend on the real kernel of the build machine (no LUO needed). */
class LibcKernelCallsTest {
    private final LibcKernelCalls libc = new LibcKernelCalls();

    @TempDir
    Path temp;

    @Test
    void memfdReadWriteSeekDupAndTarget() {
        int fd = libc.memfdCreate("libc-test", KernelCalls.MFD_CLOEXEC);
        try {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            assertThat(libc.write(fd, hello, hello.length)).isEqualTo(5);
            assertThat(libc.lseek(fd, 0, KernelCalls.SEEK_CUR)).isEqualTo(5);
            byte[] buf = new byte[5];
            assertThat(libc.pread(fd, buf, 5, 0)).isEqualTo(5);
            assertThat(buf).isEqualTo(hello);
            libc.ftruncate(fd, 2);
            assertThat(libc.lseek(fd, 0, KernelCalls.SEEK_END)).isEqualTo(2);
            libc.lseek(fd, 0, KernelCalls.SEEK_SET);
            assertThat(libc.read(fd, buf, 5)).isEqualTo(2);
            assertThat(libc.fdTarget(fd)).isEqualTo("/memfd:libc-test (deleted)");
            int dup = libc.dup(fd);
            int dupCloexec = libc.dupCloexec(fd);
            assertThat(dup).isNotEqualTo(fd);
            assertThat(libc.fdTarget(dupCloexec)).isEqualTo(libc.fdTarget(fd));
            libc.close(dup);
            libc.close(dupCloexec);
        } finally {
            libc.close(fd);
        }
    }

    /** fstat names a file by (st_dev, st_ino): a dup is the same file, another memfd is not; /proc agrees. */
    @Test
    void fstatIdentifiesTheFileBehindAnFd() throws Exception {
        int a = libc.memfdCreate("a", KernelCalls.MFD_CLOEXEC);
        int b = libc.memfdCreate("b", KernelCalls.MFD_CLOEXEC);
        int dupA = libc.dup(a);
        try {
            libc.write(a, new byte[] {1, 2, 3}, 3);
            FileStat sa = libc.fstat(a);
            assertThat(sa.regularFile()).isTrue();
            assertThat(sa.size()).isEqualTo(3);
            assertThat(libc.fstat(dupA).sameFile(sa)).isTrue();
            assertThat(libc.fstat(b).sameFile(sa)).isFalse();
            java.util.Map<String, Object> proc = Files.readAttributes(Path.of("/proc/self/fd/" + a), "unix:dev,ino");
            assertThat(sa.dev()).isEqualTo(((Number) proc.get("dev")).longValue());
            assertThat(sa.ino()).isEqualTo(((Number) proc.get("ino")).longValue());

            Path file = Files.writeString(temp.resolve("f"), "12345");
            int f = libc.open(file.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
            try {
                FileStat sf = libc.fstat(f);
                java.util.Map<String, Object> attrs = Files.readAttributes(file, "unix:dev,ino");
                assertThat(sf.dev()).isEqualTo(((Number) attrs.get("dev")).longValue());
                assertThat(sf.ino()).isEqualTo(((Number) attrs.get("ino")).longValue());
                assertThat(sf.size()).isEqualTo(5);
            } finally {
                libc.close(f);
            }
            int dir = libc.open(temp.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
            try {
                assertThat(libc.fstat(dir).regularFile()).isFalse();
            } finally {
                libc.close(dir);
            }
            assertThat(catchThrowableOfType(() -> libc.fstat(1 << 29), ErrnoException.class).errno()).isEqualTo(Errno.EBADF);
        } finally {
            libc.close(a);
            libc.close(b);
            libc.close(dupA);
        }
    }

    /** openat2 beneath a directory: a plain file opens; "..", an absolute path and a symlink are refused by the kernel. */
    @Test
    void openat2StaysBeneathItsDirectoryAndFollowsNoSymlink() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("kernels"));
        Files.writeString(dir.resolve("vmlinuz"), "image");
        Files.writeString(temp.resolve("outside"), "secret");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("vmlinuz"));
        long rules = KernelCalls.RESOLVE_BENEATH | KernelCalls.RESOLVE_NO_SYMLINKS | KernelCalls.RESOLVE_NO_MAGICLINKS;
        int dirfd = libc.open(dir.toString(), KernelCalls.O_PATH | KernelCalls.O_CLOEXEC);
        try {
            int fd = libc.openat2(dirfd, "vmlinuz", KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC, rules);
            byte[] buf = new byte[5];
            assertThat(libc.pread(fd, buf, 5, 0)).isEqualTo(5);
            assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("image");
            libc.close(fd);
            int flags = KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC;
            assertThat(catchThrowableOfType(() -> libc.openat2(dirfd, "../outside", flags, rules), ErrnoException.class).errno())
                    .isEqualTo(Errno.EXDEV);
            assertThat(catchThrowableOfType(() -> libc.openat2(dirfd, temp.resolve("outside").toString(), flags, rules),
                    ErrnoException.class).errno()).isEqualTo(Errno.EXDEV);
            assertThat(catchThrowableOfType(() -> libc.openat2(dirfd, "link", flags, rules), ErrnoException.class).errno())
                    .isEqualTo(Errno.ELOOP);
            assertThat(catchThrowableOfType(() -> libc.openat2(dirfd, "missing", flags, rules), ErrnoException.class).errno())
                    .isEqualTo(Errno.ENOENT);
        } finally {
            libc.close(dirfd);
        }
    }

    @Test
    void errnoComesBackNamed() {
        ErrnoException e = catchThrowableOfType(() -> libc.open(temp.resolve("missing").toString(), 0), ErrnoException.class);
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e).hasMessageContaining("ENOENT").hasMessageContaining("missing");
        assertThat(catchThrowableOfType(() -> libc.close(1 << 29), ErrnoException.class).errno()).isEqualTo(Errno.EBADF);
        assertThat(catchThrowableOfType(() -> libc.fdTarget(1 << 29), ErrnoException.class).errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void ioctlPassesTheStructAndErrno() throws Exception {
        Path file = Files.writeString(temp.resolve("f"), "x");
        int fd = libc.open(file.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
        try {
            Memory m = new Memory(8);
            m.clear();
            m.setInt(0, 8);
            ErrnoException e = catchThrowableOfType(() -> libc.ioctl(fd, 0xBA00, m), ErrnoException.class);
            assertThat(e.errno()).as("a regular file has no LUO ioctls").isEqualTo(Errno.ENOTTY);
        } finally {
            libc.close(fd);
        }
    }

    @Test
    void unprivilegedOrInvalidKexecFailsWithAnErrnoNotACrash() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-kernel"), "x");
        int fd = libc.open(file.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
        try {
            ErrnoException e = catchThrowableOfType(
                    () -> libc.kexecFileLoad(fd, -1, "", KernelCalls.KEXEC_FILE_NO_INITRAMFS), ErrnoException.class);
            // EPERM without CAP_SYS_BOOT, ENOEXEC for a non-kernel, ENOSYS without KEXEC_FILE, EBUSY if kexec is in use.
            assertThat(e.errno()).isIn(Errno.EPERM, Errno.ENOEXEC, Errno.ENOSYS, Errno.EINVAL, Errno.EBUSY, Errno.EACCES);
        } finally {
            libc.close(fd);
        }
    }

    @Test
    void errnoNamesForUnknownNumbers() {
        assertThat(Errno.nameOf(16)).isEqualTo("EBUSY");
        assertThat(Errno.nameOf(4242)).isEqualTo("errno 4242");
        assertThat(new ErrnoException(4242, "x", null).errno()).isNull();
    }
}
