package dev.liveupdate.luo.conformance;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every call through and records each ioctl's request number and the {@code size} the
 * caller put in the struct, so a scenario can prove what the bound implementation sends.
 */
public final class RecordingKernelCalls extends ForwardingKernelCalls {
    /** One ioctl as the kernel would see it. */
    public record SentIoctl(int fd, long request, long size) {
        @Override
        public String toString() {
            return String.format("ioctl(fd %d, 0x%X, size %d)", fd, request, size);
        }
    }

    private final List<SentIoctl> sent = new ArrayList<>();

    public RecordingKernelCalls(KernelCalls delegate) {
        super(delegate);
    }

    public synchronized List<SentIoctl> sent() {
        return List.copyOf(sent);
    }

    public synchronized int mark() {
        return sent.size();
    }

    public synchronized List<SentIoctl> sentSince(int mark) {
        return List.copyOf(sent.subList(mark, sent.size()));
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        long size = -1;
        if (arg instanceof Memory && ((Memory) arg).size() >= 4) {
            size = Integer.toUnsignedLong(arg.getInt(0));
        }
        synchronized (this) {
            sent.add(new SentIoctl(fd, request, size));
        }
        return delegate.ioctl(fd, request, arg);
    }
}
