package dev.liveupdate.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A JVM process launched by the harness: its launch instant, log, HTTP port, and how to stop it. */
final class Launched implements AutoCloseable {
    private static final DateTimeFormatter QUARKUS_DEFAULT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    final String name;
    final Process process;
    final Path log;
    final int httpPort;
    /** System.currentTimeMillis() right before the fork. */
    final long launchedAtMillis;
    /** System.nanoTime() right before the fork. */
    final long launchedAtNanos;

    private Launched(String name, Process process, Path log, int httpPort, long millis, long nanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.launchedAtMillis = millis;
        this.launchedAtNanos = nanos;
    }

    /** Starts {@code command} in {@code workDir} (the jar's directory, as a container's WORKDIR would be). */
    static Launched start(String name, List<String> command, Map<String, String> env, Path workDir, Path log, int httpPort) throws IOException {
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        Process p = pb.start();
        return new Launched(name, p, log, httpPort, millis, nanos);
    }

    long pid() {
        return process.pid();
    }

    long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAtNanos);
    }

    /** HTTP status of GET path on the process' port, or -1 when nothing answers yet. */
    int get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
            c.setConnectTimeout(250);
            c.setReadTimeout(5000);
            try {
                int code = c.getResponseCode();
                try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    if (in != null) {
                        in.readAllBytes();
                    }
                }
                return code;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    /** "... exited with 1; last log lines ..." if the process is gone. */
    Optional<String> deathNotice() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(name + " exited with status " + process.exitValue() + "; last lines of " + log + ":\n" + tail(30));
    }

    String tail(int lines) {
        try {
            List<String> all = lines();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /** The log's lines; bytes that are not UTF-8 (a process may print anything) are replaced, not fatal. */
    private List<String> lines() throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    }

    /** Whether any line of the log contains {@code marker}. */
    boolean logContains(String marker) {
        try {
            return lines().stream().anyMatch(l -> l.contains(marker));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Milliseconds from launch to the timestamp of the first log line containing {@code marker}, or -1.
     * Understands the agent's ISO format and Quarkus' default "yyyy-MM-dd HH:mm:ss,SSS" (local time).
     */
    long logLineAt(String marker) {
        try {
            for (String line : lines()) {
                if (line.contains(marker)) {
                    long at = timestamp(line);
                    return at < 0 ? -1 : at - launchedAtMillis;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
        return -1;
    }

    private static long timestamp(String line) {
        String[] parts = line.split("\\s+", 3);
        try {
            return OffsetDateTime.parse(parts[0]).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            // not ISO with offset
        }
        try {
            return LocalDateTime.parse(parts[0] + " " + parts[1], QUARKUS_DEFAULT).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** SIGTERM (Quarkus shuts down), up to {@code grace}, then SIGKILL. Returns the exit status. */
    int stop(long graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(10);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
