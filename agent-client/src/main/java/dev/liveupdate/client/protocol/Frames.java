package dev.liveupdate.client.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Length-prefixed framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 *
 * <p>Length prefixes (rather than lines) let the reader take exactly one message per read, so the
 * SCM_RIGHTS file descriptors the kernel attaches to a message are never attributed to its
 * neighbour, and a body may contain any byte.
 */
public final class Frames {
    /** Upper bound of one message body; a request is a few hundred bytes. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private Frames() {
    }

    /**
     * Reads one frame.
     *
     * @return the body, or {@code null} when the peer closed the connection cleanly between frames
     * @throws FrameException when the length is 0 or above {@link #MAX_FRAME_BYTES}, or the stream ends mid-frame
     */
    public static byte[] read(InputStream in) throws IOException {
        byte[] header = new byte[4];
        int got = in.readNBytes(header, 0, 4);
        if (got == 0) {
            return null;
        }
        if (got < 4) {
            throw new FrameException("connection closed inside a frame header (" + got + " of 4 bytes)");
        }
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFFL) << 16) | ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
        if (length == 0 || length > MAX_FRAME_BYTES) {
            throw new FrameException("frame length " + length + " outside 1.." + MAX_FRAME_BYTES
                    + " (a frame is a 4-byte big-endian length followed by a JSON body)");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new FrameException("connection closed inside a frame body (" + body.length + " of " + length + " bytes)");
        }
        return body;
    }

    /** Writes one frame with a single write call, so file descriptors set for the next write ride on it. */
    public static void write(OutputStream out, byte[] body) throws IOException {
        if (body.length == 0 || body.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame body of " + body.length + " bytes");
        }
        byte[] frame = new byte[4 + body.length];
        frame[0] = (byte) (body.length >>> 24);
        frame[1] = (byte) (body.length >>> 16);
        frame[2] = (byte) (body.length >>> 8);
        frame[3] = (byte) body.length;
        System.arraycopy(body, 0, frame, 4, body.length);
        out.write(frame);
        out.flush();
    }

    /** The byte stream no longer holds frames; the connection cannot be resynchronised. */
    public static final class FrameException extends EOFException {
        public FrameException(String message) {
            super(message);
        }
    }
}
