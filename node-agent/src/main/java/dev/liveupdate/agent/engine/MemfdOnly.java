package dev.liveupdate.agent.engine;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.sim.FileFacts;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;

/**
 * The agent takes only memfds: the kind of file the kernel preserves across a live update. Anything else (a device, a
 * socket, a pipe, a file on disk or in /dev/shm) would only sit in the agent, pin what it refers to, and fail at the
 * prepare; it is refused at the door with {@code NOT_PRESERVABLE}.
 *
 * <p>A memfd is recognised by what the kernel says about the open file, all of which must hold:
 * <ol>
 *   <li>{@code /proc/self/fd/N} reads {@code /memfd:<name> (deleted)}: memfd_create names its files so;</li>
 *   <li>a regular file with no links ({@code st_nlink} 0): memfds live on an internal mount and never have a path;</li>
 *   <li>on shmem or hugetlbfs ({@code fstatfs} f_type): where memfd_create puts them.</li>
 * </ol>
 * The name alone could be faked (an unlinked file called {@code memfd:x} at the root of a filesystem the agent cannot
 * see reads the same), and {@code fcntl(F_GET_SEALS)} alone cannot tell a memfd from any tmpfs file (tmpfs files answer
 * it too); together they leave only memfds, and files the kernel's memfd handler would take anyway (an unlinked shmem
 * file).
 */
final class MemfdOnly {
    static final long HUGETLBFS_MAGIC = 0x958458f6L;

    private MemfdOnly() {
    }

    static void require(KernelCalls calls, int fd) throws ProtocolException {
        String target;
        try {
            target = calls.fdTarget(fd);
        } catch (ErrnoException e) {
            throw new ProtocolException(ErrorCode.NOT_PRESERVABLE, "cannot tell what the handed-over fd is: " + e.getMessage());
        }
        String problem = problem(target, fd);
        if (problem != null) {
            throw new ProtocolException(ErrorCode.NOT_PRESERVABLE, "the handed-over fd is " + target + ", " + problem
                    + ": the agent takes only memfds (memfd_create(2)), the files the kernel preserves across a live update");
        }
    }

    private static String problem(String target, int fd) {
        if (!target.startsWith("/memfd:")) {
            return "not a memfd";
        }
        FileFacts.Inode inode;
        long fsType;
        try {
            inode = FileFacts.inode(fd);
            fsType = FileFacts.fsType(fd);
        } catch (ErrnoException e) {
            return "which the agent cannot stat (" + e.getMessage() + ")";
        }
        if (!inode.regular() || inode.nlink() != 0) {
            return "a file with " + inode.nlink() + " links named like a memfd, not a memfd";
        }
        if (fsType != FileFacts.TMPFS_MAGIC && fsType != HUGETLBFS_MAGIC) {
            return "on a filesystem of type 0x" + Long.toHexString(fsType) + ", not shmem or hugetlbfs: not a memfd";
        }
        return null;
    }
}
