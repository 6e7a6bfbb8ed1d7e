package dev.liveupdate.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one of the repository's qemu/ scripts as a child process with a deadline, its output in
 * target/qemu-logs/NAME.log, and finds the run directory the script reports ("... log  DIR/console.log").
 */
final class QemuScript {
    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "qemu-logs").toAbsolutePath();
    private static final Pattern RUN_DIR = Pattern.compile("(?m)^\\w+: log\\s+(\\S+)/console\\.log(\\(\\.ts\\))?$");

    /** What a script run left: exit status, its whole output, and the run directory it named (or null). */
    record Run(String name, int exit, String output, Path dir, Path log) {
        /** The last lines of the output, for assertion messages. */
        String tail() {
            String[] lines = output.split("\n");
            return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
        }

        String file(String name) {
            try {
                return Files.readString(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private QemuScript() {}

    static Run run(String name, Duration deadline, String script, String... args) throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve(script).toString());
        cmd.addAll(List.of(args));
        System.out.println("[qemu-tests] " + String.join(" ", cmd) + "  (log " + log + ", deadline " + deadline.toMinutes() + " min)");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // Build the kernel once, then keep using the cached build even when Debian sid uploads a newer
        // linux-source (no surprise 20-minute rebuild in the middle of a test run); set
        // LIVEUPDATE_KERNEL_PREFER_CACHED=0 to follow sid.
        pb.environment().putIfAbsent("LIVEUPDATE_KERNEL_PREFER_CACHED", "1");
        Process p = pb.start();
        int exit;
        if (p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            exit = p.exitValue();
        } else {
            // Our own child and its children (run-guest.sh, timeout, qemu): stop them by pid.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            exit = -1;
        }
        String output = Files.readString(log);
        Matcher m = RUN_DIR.matcher(output);
        Path dir = m.find() ? Path.of(m.group(1)) : null;
        System.out.println("[qemu-tests] " + name + " exit " + exit + (exit == -1 ? " (deadline passed, stopped)" : "")
                + (dir == null ? "" : ", run directory " + dir));
        return new Run(name, exit, output, dir, log);
    }

    /**
     * The kernel (Debian's linux-source, built once: 5-20 minutes on 2 cores, then cached) and the
     * guest initramfs. Idempotent and quick once cached; fails the test if either cannot be built.
     */
    static void ensureGuestImages() throws IOException, InterruptedException {
        Run kernel = run("build-kernel", Duration.ofMinutes(120), "hack/kernel/build-kernel.sh");
        if (kernel.exit() != 0) {
            throw new AssertionError("the LUO kernel could not be built:\n" + kernel.tail());
        }
        Run initramfs = run("build-initramfs", Duration.ofMinutes(10), "hack/kernel/build-initramfs.sh");
        if (initramfs.exit() != 0) {
            throw new AssertionError("the guest initramfs could not be built:\n" + initramfs.tail());
        }
    }
}
