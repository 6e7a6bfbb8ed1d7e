package dev.liveupdate.luo.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * What stage 1 tells stage 2 across the kexec: expected file contents (seed, length, sha256,
 * position), the old boot ID and the expected release. A properties file in the hand-off
 * directory, which must live on storage that survives the kexec.
 */
public final class Handoff {
    private final Path dir;
    private final Properties props = new Properties();

    private Handoff(Path dir) {
        this.dir = dir;
    }

    public static Handoff create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Handoff(dir);
    }

    public static Handoff load(Path dir) {
        Handoff h = new Handoff(dir);
        Path file = dir.resolve("handoff.properties");
        if (!Files.exists(file)) {
            throw new IllegalStateException("no stage-1 hand-off in " + dir + " (run --stage kexec-1 first)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            h.props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return h;
    }

    public Path dir() {
        return dir;
    }

    public void put(String key, String value) {
        props.setProperty(key, value);
    }

    public String get(String key) {
        String value = props.getProperty(key);
        if (value == null) {
            throw new ScenarioFailure("stage 1 recorded no '" + key + "'");
        }
        return value;
    }

    /** Records a preserved file: how to regenerate its bytes and the position it had. */
    public void expectFile(String key, long seed, int length, long position) {
        put(key + ".seed", Long.toString(seed));
        put(key + ".length", Integer.toString(length));
        put(key + ".sha256", Payload.sha256(Payload.bytes(seed, length)));
        put(key + ".position", Long.toString(position));
    }

    /** Writes the file and fsyncs it, so it survives the kexec that follows. */
    public void save() {
        Path file = dir.resolve("handoff.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "luo-kernel conformance stage-1 hand-off");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
