package dev.liveupdate.client;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.newsclub.net.unix.FileDescriptorCast;

/** memfds for workloads in Java: the file type the kernel can preserve across a live update. */
public final class Memfds {
    private Memfds() {
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int memfd_create(String name, int flags) throws LastErrorException;

        long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;
    }

    /** Creates a memfd holding {@code content}. No MFD_CLOEXEC: it does not survive the kexec anyway, and the caller may want to hand it to a child. */
    public static FileDescriptor create(String name, byte[] content) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.memfd_create(name, 0);
        } catch (LastErrorException e) {
            throw new IOException("memfd_create(" + name + ") failed: errno " + e.getErrorCode(), e);
        }
        long done = 0;
        while (done < content.length) {
            byte[] chunk = done == 0 ? content : java.util.Arrays.copyOfRange(content, (int) done, content.length);
            try {
                done += LibC.INSTANCE.pwrite(fd, chunk, chunk.length, done);
            } catch (LastErrorException e) {
                throw new IOException("pwrite to memfd failed: errno " + e.getErrorCode(), e);
            }
        }
        return FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
    }

    /** Reads a whole file from offset 0 without moving its position (the position itself survives a live update). */
    public static byte[] readAll(FileDescriptor fd) throws IOException {
        FileChannel channel = new FileInputStream(fd).getChannel();
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("file of " + size + " bytes is too large to read into memory");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                break;
            }
        }
        return buf.array();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes a descriptor obtained from this class or from {@link AgentClient#retrieve}. */
    public static void close(FileDescriptor fd) throws IOException {
        new FileInputStream(fd).close();
    }
}
