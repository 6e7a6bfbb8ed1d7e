package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The simulated machine's persistent state: what survives processes (and simulated kexecs).
 *
 * <pre>
 * stateDir/
 *   generation              A or B, fixed when the directory is first used
 *   liveupdate              the simulated device node (an empty file; device fds point to it)
 *   device.lock             fcntl lock = exclusive open across processes
 *   state.lock              fcntl lock serializing read-modify-write of state.properties
 *   current                 name of the current boot directory (replaced atomically at kexec)
 *   boot-&lt;boot id&gt;/
 *     boot.properties       BootRecord: boot id, release, cmdline, how it booted (immutable)
 *     state.properties      mutable: A global state, incoming session status, loaded kexec image
 *     incoming/             hand-over from the previous kernel (immutable)
 *       manifest.properties sessions, tokens, sizes, file positions
 *       sN-fM.data          the bytes of each preserved memfd
 * </pre>
 */
final class StateStore {
    /** One state-lock channel per file per JVM: closing a second channel would drop the JVM's fcntl locks. */
    private static final Map<Path, FileChannel> STATE_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    private StateStore(Path dir) {
        this.dir = dir;
    }

    /** Opens the state directory, creating a cold-booted machine if it is new. */
    static StateStore open(Path stateDir, Generation generation, String initialRelease, String initialCmdline) {
        Path dir = stateDir.toAbsolutePath().normalize();
        StateStore store = new StateStore(dir);
        try {
            Files.createDirectories(dir);
            Path genFile = dir.resolve("generation");
            synchronized (monitor(dir)) {
                if (!Files.exists(genFile)) {
                    AtomicFiles.write(genFile, (generation.name() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                Generation stored = Generation.valueOf(Files.readString(genFile).trim());
                if (stored != generation) {
                    throw new IllegalStateException("state directory " + dir + " simulates generation " + stored
                            + ", not " + generation + " (a kernel of the other generation would panic on its hand-over)");
                }
                if (!Files.exists(dir.resolve("liveupdate"))) {
                    Files.createFile(dir.resolve("liveupdate"));
                }
                if (!Files.exists(dir.resolve("current"))) {
                    store.coldBoot(generation, initialRelease, initialCmdline);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialize simulator state in " + dir, e);
        }
        return store;
    }

    private void coldBoot(Generation generation, String release, String cmdline) throws IOException {
        BootRecord boot = new BootRecord(generation, UUID.randomUUID().toString(), release, cmdline, 0, false);
        Properties state = new Properties();
        if (generation == Generation.A) {
            state.setProperty("global_state", "NORMAL");
        }
        Path bootDir = writeBootDirectory(boot, state, d -> {});
        switchTo(bootDir);
    }

    Path dir() {
        return dir;
    }

    Path deviceNode() {
        return dir.resolve("liveupdate");
    }

    Path deviceLockFile() {
        return dir.resolve("device.lock");
    }

    Path currentBootDir() {
        try {
            return dir.resolve(Files.readString(dir.resolve("current")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("current"), e);
        }
    }

    BootRecord boot() {
        return BootRecord.fromProperties(AtomicFiles.readProperties(currentBootDir().resolve("boot.properties")));
    }

    Path incomingDir() {
        return currentBootDir().resolve("incoming");
    }

    Properties readState() {
        return withStateLock(() -> AtomicFiles.readProperties(currentBootDir().resolve("state.properties")));
    }

    /** Read-modify-write of state.properties, serialized across threads and processes. */
    void updateState(Consumer<Properties> change) {
        withStateLock(() -> {
            Path file = currentBootDir().resolve("state.properties");
            Properties props = AtomicFiles.readProperties(file);
            change.accept(props);
            AtomicFiles.writeProperties(file, props);
            return null;
        });
    }

    interface BootDirWriter {
        void write(Path bootDir) throws IOException;
    }

    /**
     * Writes a complete boot directory (boot.properties, state.properties, whatever {@code contents}
     * adds) and fsyncs it; it becomes current only with {@link #switchTo}.
     */
    Path writeBootDirectory(BootRecord boot, Properties state, BootDirWriter contents) throws IOException {
        Path bootDir = dir.resolve("boot-" + boot.bootId());
        Files.createDirectories(bootDir.resolve("incoming"));
        contents.write(bootDir);
        AtomicFiles.writeProperties(bootDir.resolve("boot.properties"), boot.toProperties());
        AtomicFiles.writeProperties(bootDir.resolve("state.properties"), state);
        AtomicFiles.fsyncDirectory(bootDir.resolve("incoming"));
        AtomicFiles.fsyncDirectory(bootDir);
        return bootDir;
    }

    /** The commit point of a boot: one atomic rename of 'current'. Older boot directories are then removed. */
    void switchTo(Path bootDir) {
        withStateLock(() -> {
            AtomicFiles.write(dir.resolve("current"), (bootDir.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            return null;
        });
        try (Stream<Path> old = Files.list(dir)) {
            old.filter(p -> p.getFileName().toString().startsWith("boot-") && !p.equals(bootDir))
                    .forEach(StateStore::deleteTree);
        } catch (IOException e) {
            // Leftover directories are harmless: only 'current' is read.
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    private interface Locked<T> {
        T run();
    }

    private <T> T withStateLock(Locked<T> body) {
        synchronized (monitor(dir)) {
            FileChannel ch = STATE_LOCKS.computeIfAbsent(dir, d -> {
                try {
                    return FileChannel.open(d.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (FileLock lock = ch.lock()) {
                return body.run();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + dir.resolve("state.lock"), e);
            }
        }
    }

    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private static Object monitor(Path dir) {
        return MONITORS.computeIfAbsent(dir, d -> new Object());
    }
}
