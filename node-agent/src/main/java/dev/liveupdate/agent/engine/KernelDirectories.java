package dev.liveupdate.agent.engine;

import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.FileStat;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Opens a plan's kernel image or initrd beneath the configured kernel directories only (safety invariant 11). The
 * plan's path must be absolute, free of {@code .} and {@code ..}, and inside one kernel directory; the rest of it is
 * opened with openat2 relative to an fd of that directory under RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS, so the kernel itself refuses any escape: no {@code ..}, no symlink (not even one that stays
 * inside), no /proc magic link. The caller gets the fd and reads (hashes) and loads through it, never the path again.
 * Without openat2 (Linux before 5.6: ENOSYS) nothing is opened: the agent fails closed.
 */
final class KernelDirectories {
    static final long RESOLVE_RULES = KernelCalls.RESOLVE_BENEATH | KernelCalls.RESOLVE_NO_SYMLINKS | KernelCalls.RESOLVE_NO_MAGICLINKS;

    private final KernelCalls calls;
    private final Path hostRoot;
    /** Host paths, longest first: a file in nested kernel directories is opened beneath the innermost one. */
    private final List<Path> dirs;

    KernelDirectories(KernelCalls calls, Path hostRoot, List<Path> dirs) {
        this.calls = calls;
        this.hostRoot = hostRoot;
        this.dirs = dirs.stream().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    }

    /**
     * An O_RDONLY | O_CLOEXEC fd of the regular file the plan names, for the caller to close.
     *
     * @param reasonPrefix "Image" or "Initrd": the failure reasons are e.g. ImageOutsideKernelDirs, InitrdNotFound
     * @param what         "kernel image" or "initrd", for the message
     */
    int open(String planPath, String reasonPrefix, String what) throws KernelRefused {
        List<String> segments = segments(planPath, reasonPrefix, what);
        Path dir = dirs.stream().filter(d -> startsWith(segments, d)).findFirst().orElseThrow(() -> new KernelRefused(
                reasonPrefix + "OutsideKernelDirs", "the " + what + " " + planPath + " is not in the agent's kernel directories "
                + dirs + "; put it there (chart value agent.kernelDirs, agent setting liveupdate.agent.kernel-dirs)"));
        List<String> rest = segments.subList(dir.getNameCount(), segments.size());
        if (rest.isEmpty()) {
            throw notFound(planPath, reasonPrefix, what);
        }
        int dirfd;
        Path dirInAgent = hostRoot.resolve(Path.of("/").relativize(dir));
        try {
            dirfd = calls.open(dirInAgent.toString(), KernelCalls.O_PATH | KernelCalls.O_CLOEXEC);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                throw new KernelRefused(reasonPrefix + "NotFound", "the " + what + " " + planPath + " does not exist on this node: its kernel directory "
                        + dir + " is missing (" + e.getMessage() + ")");
            }
            throw new KernelRefused(reasonPrefix + "Unreadable", "cannot open the kernel directory " + dir + " (at " + dirInAgent + "): " + e.getMessage());
        }
        try {
            int fd = openBeneath(dirfd, String.join("/", rest), planPath, dir, reasonPrefix, what);
            try {
                FileStat stat = calls.fstat(fd);
                if (!stat.regularFile()) {
                    throw notFound(planPath, reasonPrefix, what);
                }
                return fd;
            } catch (KernelRefused | RuntimeException e) {
                closeQuietly(fd);
                throw e;
            }
        } finally {
            closeQuietly(dirfd);
        }
    }

    private int openBeneath(int dirfd, String relative, String planPath, Path dir, String reasonPrefix, String what) throws KernelRefused {
        try {
            return calls.openat2(dirfd, relative, KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC, RESOLVE_RULES);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOSYS)) {
                throw new KernelRefused("KernelConfinementUnsupported", "this kernel has no openat2 (Linux 5.6 or later): the agent opens a "
                        + what + " only confined beneath its kernel directories and loads none without that (" + e.getMessage() + ")");
            }
            if (e.is(Errno.ELOOP)) {
                throw new KernelRefused(reasonPrefix + "Symlink", "the " + what + " " + planPath + " is or passes through a symbolic link below "
                        + "the kernel directory " + dir + "; the agent follows none there: name the file itself");
            }
            if (e.is(Errno.EXDEV)) {
                throw new KernelRefused(reasonPrefix + "OutsideKernelDirs", "the " + what + " " + planPath + " resolves outside the kernel directory "
                        + dir + " (" + e.getMessage() + ")");
            }
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                throw notFound(planPath, reasonPrefix, what);
            }
            throw new KernelRefused(reasonPrefix + "Unreadable", "cannot open the " + what + " " + planPath + ": " + e.getMessage());
        }
    }

    /** The path's names; absolute paths only, and never "." or ".." (a plan has no business walking around). */
    private List<String> segments(String planPath, String reasonPrefix, String what) throws KernelRefused {
        if (planPath == null || !planPath.startsWith("/")) {
            throw new KernelRefused(reasonPrefix + "OutsideKernelDirs", "the " + what + " path " + planPath
                    + " is not absolute; plans name host paths inside the kernel directories " + dirs);
        }
        List<String> names = new ArrayList<>();
        for (String name : planPath.split("/")) {
            if (name.equals(".") || name.equals("..")) {
                throw new KernelRefused(reasonPrefix + "OutsideKernelDirs", "the " + what + " path " + planPath
                        + " contains '" + name + "'; plans name kernel files by their plain path inside the kernel directories " + dirs);
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean startsWith(List<String> segments, Path dir) {
        if (dir.getNameCount() > segments.size()) {
            return false;
        }
        for (int i = 0; i < dir.getNameCount(); i++) {
            if (!dir.getName(i).toString().equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static KernelRefused notFound(String planPath, String reasonPrefix, String what) {
        return new KernelRefused(reasonPrefix + "NotFound", "the " + what + " " + planPath
                + " does not exist on this node (or is not a regular file); install it on the host before the plan reaches this node");
    }

    private void closeQuietly(int fd) {
        try {
            calls.close(fd);
        } catch (ErrnoException ignored) {
            // gone either way
        }
    }
}
