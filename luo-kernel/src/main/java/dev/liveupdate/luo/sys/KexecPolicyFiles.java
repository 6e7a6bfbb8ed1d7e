package dev.liveupdate.luo.sys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads what decides whether the running kernel takes a kexec image; null whenever a file cannot be read. */
public final class KexecPolicyFiles {
    private KexecPolicyFiles() {
    }

    /** The bracketed mode of a lockdown file ("none [integrity] confidentiality" gives "integrity"). */
    public static String lockdown(Path file) {
        String text = readSmall(file);
        if (text == null) {
            return null;
        }
        int open = text.indexOf('[');
        int close = text.indexOf(']', open + 1);
        return open < 0 || close < 0 ? null : text.substring(open + 1, close).trim();
    }

    /** "1" is true, "0" false, anything else (or nothing) null. */
    public static Boolean flag(Path file) {
        String text = readSmall(file);
        return text == null ? null : "1".equals(text.trim()) ? Boolean.TRUE : "0".equals(text.trim()) ? Boolean.FALSE : null;
    }

    /**
     * Whether {@code option} is {@code =y} in a kernel config ({@code .gz} for /proc/config.gz, plain otherwise): true,
     * false when the config says otherwise or does not name it, null when the config cannot be read.
     */
    public static Boolean configOption(Path config, String option) {
        if (!Files.isReadable(config)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(config);
             InputStream in = config.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(option + "=")) {
                    return line.equals(option + "=y");
                }
            }
            return false;
        } catch (IOException e) {
            return null;
        }
    }

    private static String readSmall(Path file) {
        try {
            return Files.isReadable(file) && Files.size(file) < 4096 ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
