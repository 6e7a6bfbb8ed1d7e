package dev.liveupdate.luo.conformance;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic test data: the same (seed, length) gives the same bytes in stage 1 and stage 2,
 * so stage 2 compares byte for byte without the bytes themselves crossing the kexec.
 */
public final class Payload {
    private Payload() {}

    public static byte[] bytes(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
