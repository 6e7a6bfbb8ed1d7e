package dev.liveupdate.luo.sim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.liveupdate.luo.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the simulator (and the conformance suite) must know about a real file that {@code
 * KernelCalls} does not tell: its seals and fd flags ({@code fcntl}), whether it lives on shmem
 * ({@code fstatfs}), and its inode identity and link count ({@code stat} of {@code
 * /proc/self/fd/N}). These are the facts the 7.2 memfd handler decides on: {@code can_preserve}
 * is "shmem file without links", the preserved-files registry is keyed by inode, seals are
 * carried over. LP64 Linux only, like {@code LibcKernelCalls}.
 */
public final class FileFacts {
    public static final int F_GETFD = 1;
    public static final int FD_CLOEXEC = 1;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;
    public static final int F_SEAL_FUTURE_WRITE = 0x10;
    public static final int F_SEAL_EXEC = 0x20;
    /** The seals the 7.2 memfd handler knows ({@code MEMFD_LUO_ALL_SEALS}); others make PRESERVE_FD EOPNOTSUPP. */
    public static final int LUO_MEMFD_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
            | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;
    /** {@code statfs.f_type} of tmpfs/shmem (memfds, tmpfs, devtmpfs). */
    public static final long TMPFS_MAGIC = 0x01021994L;
    public static final int MFD_HUGETLB = 0x4;

    /** The inode a file refers to (st_dev, st_ino), its link count and whether it is a regular file. */
    public record Inode(long dev, long ino, long nlink, boolean regular) {
        /** The identity without the link count, for registries keyed by inode. */
        public String key() {
            return dev + ":" + ino;
        }
    }

    static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private Libc() {}

        static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        /** struct statfs is 120 bytes on x86-64 and arm64; f_type is its first 8 bytes. */
        static native int fstatfs(int fd, byte[] buf) throws LastErrorException;
    }

    private FileFacts() {}

    /** fcntl(F_GET_SEALS); EINVAL for files that are not shmem. */
    public static int seals(int fd) {
        return fcntl(fd, F_GET_SEALS, 0, "F_GET_SEALS");
    }

    /** fcntl(F_ADD_SEALS, seals). */
    public static void addSeals(int fd, int seals) {
        fcntl(fd, F_ADD_SEALS, seals, "F_ADD_SEALS");
    }

    /** fcntl(F_GETFD): FD_CLOEXEC or 0. */
    public static int fdFlags(int fd) {
        return fcntl(fd, F_GETFD, 0, "F_GETFD");
    }

    /** fstatfs(fd).f_type. */
    public static long fsType(int fd) {
        byte[] buf = new byte[256];
        try {
            Libc.fstatfs(fd, buf);
        } catch (LastErrorException e) {
            throw new ErrnoException(e.getErrorCode(), "fstatfs(" + fd + ")", null);
        }
        long type = 0;
        for (int i = 7; i >= 0; i--) {
            type = (type << 8) | (buf[i] & 0xFF);
        }
        return type;
    }

    /** A shmem file (memfd or tmpfs): what the 7.2 memfd handler's can_preserve checks first. */
    public static boolean onShmem(int fd) {
        return fsType(fd) == TMPFS_MAGIC;
    }

    /** st_dev, st_ino and st_nlink of the file behind {@code fd} (stat of /proc/self/fd/N follows to the file). */
    public static Inode inode(int fd) {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:dev,ino,nlink,mode");
            int mode = ((Number) a.get("mode")).intValue();
            return new Inode(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                    ((Number) a.get("nlink")).longValue(), (mode & 0170000) == 0100000);
        } catch (IOException e) {
            throw new ErrnoException(dev.liveupdate.luo.sys.Errno.EBADF, "stat(/proc/self/fd/" + fd + ")", e.getMessage());
        }
    }

    private static int fcntl(int fd, int cmd, int arg, String what) {
        try {
            return Libc.fcntl(fd, cmd, arg);
        } catch (LastErrorException e) {
            throw new ErrnoException(e.getErrorCode(), "fcntl(" + fd + ", " + what + ")", null);
        }
    }
}
