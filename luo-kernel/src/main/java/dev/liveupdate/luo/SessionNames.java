package dev.liveupdate.luo;

import java.nio.charset.StandardCharsets;

/** Encodes session names into the fixed, NUL-terminated name fields of the ioctl structs. */
final class SessionNames {
    private SessionNames() {}

    /**
     * Rejects names the bound generation cannot carry before anything reaches the kernel. An empty
     * name is refused on both generations: it is what turns a B RETRIEVE_SESSION into an A
     * SET_EVENT(PREPARE) if the generation were ever mixed up.
     */
    static byte[] encode(String name, Generation generation, int fieldLength) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("session name must not be empty");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > generation.maxSessionNameBytes()) {
            throw new IllegalArgumentException("session name '" + name + "' is " + bytes.length
                    + " bytes; generation " + generation + " allows at most " + generation.maxSessionNameBytes());
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("session name must not contain NUL");
            }
        }
        byte[] field = new byte[fieldLength];
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return field;
    }

    /** The bytes before the first NUL, as UTF-8. */
    static String decode(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(field, 0, n, StandardCharsets.UTF_8);
    }
}
