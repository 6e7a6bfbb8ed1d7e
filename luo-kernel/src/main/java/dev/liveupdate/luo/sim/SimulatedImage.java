package dev.liveupdate.luo.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated kernel image: a text file whose first line is {@code LUO-SIMULATED-KERNEL
 * release=<release>}. Anything else is rejected by the simulated kexec_file_load with ENOEXEC, as
 * the real loader rejects a file that is not a kernel.
 */
public final class SimulatedImage {
    public static final String MAGIC = "LUO-SIMULATED-KERNEL";
    private static final Pattern FIRST_LINE = Pattern.compile(MAGIC + " release=(\\S+)\\s*");

    private SimulatedImage() {}

    /** Writes an image file for {@code release} and returns its path. */
    public static Path write(Path file, String release) {
        if (release.isEmpty() || release.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("release must be one word: '" + release + "'");
        }
        try {
            Files.writeString(file, MAGIC + " release=" + release + "\n"
                    + "This file stands in for a kernel image in the liveupdate-operator kernel simulator.\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The release named by an image's head, or empty if it is not a simulated kernel image. */
    static Optional<String> release(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.UTF_8);
        int eol = text.indexOf('\n');
        String first = eol < 0 ? text : text.substring(0, eol);
        Matcher m = FIRST_LINE.matcher(first);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
