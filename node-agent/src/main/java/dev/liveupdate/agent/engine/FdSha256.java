package dev.liveupdate.agent.engine;

import dev.liveupdate.luo.sys.KernelCalls;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a file read through its fd (pread from offset 0, the fd's position untouched): the bytes the fd holds, not whatever a path names now. */
final class FdSha256 {
    private static final int CHUNK = 1 << 20;

    private FdSha256() {
    }

    static String of(KernelCalls calls, int fd) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[CHUNK];
        long offset = 0;
        int n;
        while ((n = calls.pread(fd, buf, buf.length, offset)) > 0) {
            digest.update(buf, 0, n);
            offset += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
