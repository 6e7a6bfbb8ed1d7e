package dev.liveupdate.agent.handoff;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The peer process pinned by a pidfd from {@code SO_PEERPIDFD} (Linux 6.5+). SO_PEERCRED gives a pid, and a pid can be
 * reused once its process is gone: between connect() and the agent reading {@code /proc/<pid>/cgroup}, a peer could
 * exit and another pod's process take its number. The pidfd refers to the peer's process itself; if
 * {@code /proc/self/fdinfo/<pidfd>} still names the same pid after the cgroup was read, that pid was the peer's the
 * whole time (a pid is not reused while a process, even a zombie, holds it). On older kernels there is no pin and the
 * check passes: the window is the time of one small file read (docs/security.md).
 */
final class PeerPidfd implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerPidfd.class.getName());
    private static final int SOL_SOCKET = 1;
    /** asm-generic value (x86-64, arm64). */
    private static final int SO_PEERPIDFD = 77;
    private static final int ENOPROTOOPT = 92;
    private static final int EINVAL = 22;
    private static final int ESRCH = 3;

    static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private Libc() {
        }

        static native int getsockopt(int fd, int level, int option, int[] value, int[] length) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    /** -1: no pin (older kernel, or the socket is not a connected Unix socket). */
    private final int pidfd;

    private PeerPidfd(int pidfd) {
        this.pidfd = pidfd;
    }

    /** No pin: {@link #stillNames} always holds. */
    static final PeerPidfd NONE = new PeerPidfd(-1);

    /** The peer had exited before it could be pinned (SO_PEERPIDFD: EINVAL): its pid may already be another process's. */
    static final PeerPidfd GONE = new PeerPidfd(-2);

    /** Pins the peer of the connected socket {@code socketFd}. */
    static PeerPidfd of(int socketFd) {
        int[] value = new int[1];
        int[] length = {4};
        try {
            Libc.getsockopt(socketFd, SOL_SOCKET, SO_PEERPIDFD, value, length);
            return new PeerPidfd(value[0]);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINVAL || e.getErrorCode() == ESRCH) {
                LOG.fine("SO_PEERPIDFD: the peer exited before it was pinned");
                return GONE; // pidfd_prepare: no live thread group behind the peer's pid
            }
            if (e.getErrorCode() != ENOPROTOOPT) { // ENOPROTOOPT: a kernel before 6.5
                LOG.warning(() -> "SO_PEERPIDFD failed with errno " + e.getErrorCode() + "; going on without pinning the peer");
            }
            return NONE;
        }
    }

    boolean pinned() {
        return pidfd >= 0;
    }

    /** Whether the pinned process still holds {@code pid}; true without a pin (older kernels), false when the peer was gone. */
    boolean stillNames(long pid) {
        if (this == NONE) {
            return true;
        }
        if (pidfd < 0) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + pidfd))) {
                if (line.startsWith("Pid:")) {
                    return Long.parseLong(line.substring(4).trim()) == pid;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.FINE, "reading the peer's pidfd", e);
        }
        return false;
    }

    @Override
    public void close() {
        if (pidfd >= 0) {
            try {
                Libc.close(pidfd);
            } catch (LastErrorException e) {
                LOG.fine("closing a peer pidfd: errno " + e.getErrorCode());
            }
        }
    }
}
