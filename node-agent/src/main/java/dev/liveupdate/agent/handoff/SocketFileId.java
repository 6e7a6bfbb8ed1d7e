package dev.liveupdate.agent.handoff;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which file a path names (device and inode, and whether it is a socket): the agent remembers its socket file when it
 * binds and compares, so it notices when the file was removed or replaced (by a workload with write access to the
 * socket directory, a cleanup job, a second agent) and binds again.
 */
record SocketFileId(long dev, long ino, boolean socket) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** The file at {@code path} (not following a symlink), or empty when there is none. */
    static Optional<SocketFileId> of(Path path) throws IOException {
        try {
            Map<String, Object> a = java.nio.file.Files.readAttributes(path, "unix:dev,ino,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = ((Number) a.get("mode")).intValue();
            return Optional.of(new SocketFileId(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                    (mode & S_IFMT) == S_IFSOCK));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (socket ? "socket" : "non-socket file") + " dev " + dev + " inode " + ino;
    }
}
