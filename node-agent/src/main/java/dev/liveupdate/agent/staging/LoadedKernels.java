package dev.liveupdate.agent.staging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last few staged kernels the agent loaded (one line per load: the image's SHA-256 and the initrd's), in the
 * agent's state directory (not the staging directory, where only staged kernels live): what the garbage collection
 * keeps besides what is wanted, i.e. the running kernel and the previous one.
 */
final class LoadedKernels {
    private static final Logger LOG = Logger.getLogger(LoadedKernels.class.getName());
    private final Path file;
    private final int keep;
    /** The file's lines, read once: this process is the only writer. */
    private List<String> lines;

    LoadedKernels(Path file, int keep) {
        this.file = file;
        this.keep = keep;
    }

    synchronized void add(List<String> sha256s) {
        List<String> lines = new ArrayList<>(lines());
        String line = String.join(" ", sha256s);
        lines.remove(line);
        lines.add(line);
        List<String> kept = List.copyOf(lines.subList(Math.max(0, lines.size() - keep), lines.size()));
        this.lines = kept;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the loaded kernel in " + file + " (the garbage collection may drop it once unwanted)", e);
        }
    }

    synchronized Set<String> recent() {
        Set<String> out = new HashSet<>();
        for (String l : lines()) {
            for (String sha : l.trim().split("\\s+")) {
                if (!sha.isEmpty()) {
                    out.add(sha);
                }
            }
        }
        return out;
    }

    private List<String> lines() {
        if (lines == null) {
            try {
                lines = Files.isRegularFile(file) ? List.copyOf(Files.readAllLines(file, StandardCharsets.UTF_8)) : List.of();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot read " + file, e);
                lines = List.of();
            }
        }
        return lines;
    }
}
