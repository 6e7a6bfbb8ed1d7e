package dev.liveupdate.luo.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive open of the simulated device across processes: an fcntl lock on device.lock, which the
 * OS drops when the holder dies, like the kernel's release() on the device file.
 *
 * <p>Within one JVM a registry answers first, so that no second channel is ever opened on a locked
 * file (closing any channel on a file drops all of the JVM's fcntl locks on it).
 */
final class DeviceLock {
    private static final Map<Path, DeviceLock> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;

    private DeviceLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The lock, or null if another open file (in this or another process) holds the device. */
    static synchronized DeviceLock tryAcquire(Path file) {
        if (HELD.containsKey(file)) {
            return null;
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return null;
            }
            DeviceLock held = new DeviceLock(file, ch);
            HELD.put(file, held);
            return held;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    synchronized void release() {
        synchronized (DeviceLock.class) {
            if (HELD.remove(file, this)) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // the lock goes with the channel either way
                }
            }
        }
    }
}
