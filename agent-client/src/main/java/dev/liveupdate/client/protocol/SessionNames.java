package dev.liveupdate.client.protocol;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The session-name rule of the API (SessionSpec.name): it must fit both ABI generations. */
public final class SessionNames {
    /** Generation A holds 56 bytes including the terminating NUL. */
    public static final int MAX_BYTES = 55;
    private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

    private SessionNames() {
    }

    public static boolean isValid(String name) {
        if (name == null) {
            return false;
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= MAX_BYTES && SHAPE.matcher(name).matches();
    }
}
