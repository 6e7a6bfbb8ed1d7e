package dev.liveupdate.luo.conformance;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every call through and records each ioctl's request number and the {@code size} the
 * caller put in the struct, so a scenario can prove what the bound implementation sends.
 */
public final class RecordingKernelCalls implements KernelCalls {
    /** One ioctl as the kernel would see it. */
    public record SentIoctl(int fd, long request, long size) {
        @Override
        public String toString() {
            return String.format("ioctl(fd %d, 0x%X, size %d)", fd, request, size);
        }
    }

    private final KernelCalls delegate;
    private final List<SentIoctl> sent = new ArrayList<>();

    public RecordingKernelCalls(KernelCalls delegate) {
        this.delegate = delegate;
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

    @Override
    public int open(String path, int flags) {
        return delegate.open(path, flags);
    }

    @Override
    public void close(int fd) {
        delegate.close(fd);
    }

    @Override
    public int dup(int fd) {
        return delegate.dup(fd);
    }

    @Override
    public int memfdCreate(String name, int flags) {
        return delegate.memfdCreate(name, flags);
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        return delegate.read(fd, buf, len);
    }

    @Override
    public int write(int fd, byte[] buf, int len) {
        return delegate.write(fd, buf, len);
    }

    @Override
    public int pread(int fd, byte[] buf, int len, long offset) {
        return delegate.pread(fd, buf, len, offset);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return delegate.lseek(fd, offset, whence);
    }

    @Override
    public void ftruncate(int fd, long length) {
        delegate.ftruncate(fd, length);
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        delegate.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public void reboot(int cmd) {
        delegate.reboot(cmd);
    }

    @Override
    public String fdTarget(int fd) {
        return delegate.fdTarget(fd);
    }

    @Override
    public String deviceLinkTarget(String requestedPath) {
        return delegate.deviceLinkTarget(requestedPath);
    }
}
