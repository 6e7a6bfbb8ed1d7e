package dev.liveupdate.simulation;

import dev.liveupdate.luo.sys.LibcKernelCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs one schedule in a fresh directory (on tmpfs when there is one: the simulated kernel fsyncs its state) and
 * cleans up after it: the directory, and every memfd the run's processes left open in this JVM.
 */
final class ScheduleRunner {
    private static final LibcKernelCalls LIBC = new LibcKernelCalls();
    private final Path base;

    ScheduleRunner() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        this.base = Files.createTempDirectory(parent, "liveupdate-sim-");
    }

    Simulation.Result run(Schedule s) {
        Path dir = base.resolve(Long.toUnsignedString(s.seed(), 36) + "-" + System.nanoTime());
        try {
            return new Simulation(s, dir).run();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            closeLeftovers(dir);
            delete(dir);
        }
    }

    /** The simulated processes' memfds and files of the run's directory that are still open. */
    private static void closeLeftovers(Path dir) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                if (target.startsWith("/memfd:") || target.startsWith(dir.toString())) {
                    try {
                        LIBC.close(Integer.parseInt(fd.getFileName().toString()));
                    } catch (RuntimeException e) {
                        // closed meanwhile
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        delete(base);
    }
}
