package dev.liveupdate.luo.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/** Serializes outgoing sessions at a simulated kexec and reads them back in the next boot. */
final class Handover {
    private Handover() {}

    /** What one outgoing file looks like at the moment of the kexec. */
    interface FileSource {
        long token();

        String memfdName();

        /** The seals recorded at PRESERVE_FD time (0 when the generation does not carry seals). */
        default int seals() {
            return 0;
        }

        /** Streams the file's bytes (0..size) to {@code out} and returns {size, position}. */
        long[] copyTo(OutputStream out) throws IOException;
    }

    record OutgoingSession(String name, List<? extends FileSource> files) {}

    static void write(Path incomingDir, List<OutgoingSession> sessions) throws IOException {
        Properties manifest = new Properties();
        manifest.setProperty("sessions", Integer.toString(sessions.size()));
        for (int s = 0; s < sessions.size(); s++) {
            OutgoingSession session = sessions.get(s);
            String prefix = "session." + s + ".";
            manifest.setProperty(prefix + "name", hex(session.name()));
            manifest.setProperty(prefix + "files", Integer.toString(session.files().size()));
            for (int f = 0; f < session.files().size(); f++) {
                FileSource file = session.files().get(f);
                String dataName = "s" + s + "-f" + f + ".data";
                Path data = incomingDir.resolve(dataName);
                long[] sizeAndPosition;
                try (OutputStream out = Files.newOutputStream(data)) {
                    sizeAndPosition = file.copyTo(out);
                }
                AtomicFiles.fsync(data);
                String fp = prefix + "file." + f + ".";
                manifest.setProperty(fp + "token", Long.toUnsignedString(file.token()));
                manifest.setProperty(fp + "size", Long.toString(sizeAndPosition[0]));
                manifest.setProperty(fp + "position", Long.toString(sizeAndPosition[1]));
                manifest.setProperty(fp + "memfd_name", file.memfdName());
                manifest.setProperty(fp + "seals", Integer.toString(file.seals()));
                manifest.setProperty(fp + "data", dataName);
            }
        }
        AtomicFiles.writeProperties(incomingDir.resolve("manifest.properties"), manifest);
    }

    /**
     * The incoming sessions of the current boot (none after a cold boot).
     *
     * @throws UncheckedIOException if the manifest cannot be read (the simulated EIO of B's open)
     */
    static List<IncomingSession> read(Path incomingDir) {
        Path manifestFile = incomingDir.resolve("manifest.properties");
        List<IncomingSession> sessions = new ArrayList<>();
        if (!Files.exists(manifestFile)) {
            return sessions;
        }
        Properties m = AtomicFiles.readProperties(manifestFile);
        int count = Integer.parseInt(m.getProperty("sessions", "0"));
        for (int s = 0; s < count; s++) {
            String prefix = "session." + s + ".";
            List<IncomingFile> files = new ArrayList<>();
            int fileCount = Integer.parseInt(m.getProperty(prefix + "files"));
            for (int f = 0; f < fileCount; f++) {
                String fp = prefix + "file." + f + ".";
                files.add(new IncomingFile(Long.parseUnsignedLong(m.getProperty(fp + "token")),
                        Long.parseLong(m.getProperty(fp + "size")), Long.parseLong(m.getProperty(fp + "position")),
                        m.getProperty(fp + "memfd_name", "luo"), Integer.parseInt(m.getProperty(fp + "seals", "0")),
                        incomingDir.resolve(m.getProperty(fp + "data"))));
            }
            sessions.add(new IncomingSession(s, unhex(m.getProperty(prefix + "name")), List.copyOf(files)));
        }
        return sessions;
    }

    /** Names are raw kernel bytes kept 1:1 in ISO-8859-1 strings; hex keeps them exact on disk. */
    private static String hex(String name) {
        return HexFormat.of().formatHex(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
    }
}
