package dev.liveupdate.luo.sim;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Crash-safe file writes: temp file, fsync, atomic rename, fsync of the directory. */
final class AtomicFiles {
    private AtomicFiles() {}

    static void write(Path target, byte[] content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    static void writeProperties(Path target, Properties props) {
        // Sorted, comment-free output so the files are stable and diffable.
        StringBuilder out = new StringBuilder();
        Map<String, String> sorted = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> sorted.put(k, props.getProperty(k)));
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            Properties single = new Properties();
            single.setProperty(e.getKey(), e.getValue());
            StringWriter w = new StringWriter();
            try {
                single.store(w, null);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> out.append(l).append('\n'));
        }
        write(target, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static Properties readProperties(Path source) {
        Properties props = new Properties();
        try (var in = Files.newInputStream(source)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return props;
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
