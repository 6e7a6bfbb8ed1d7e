package dev.liveupdate.agent.kernel;

import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.function.Supplier;

/**
 * KernelCalls that measure the calls that matter for live updates (open, ioctl by request number,
 * kexec_file_load, reboot) and pass everything through unchanged.
 */
public final class MeteredKernelCalls implements KernelCalls {
    private final KernelCalls delegate;
    private final KernelCallMetrics metrics;

    public MeteredKernelCalls(KernelCalls delegate, KernelCallMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    private <T> T timed(String call, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            T result = work.get();
            metrics.record(call, "ok", System.nanoTime() - start);
            return result;
        } catch (ErrnoException e) {
            metrics.record(call, e.errnoName(), System.nanoTime() - start);
            throw e;
        }
    }

    @Override
    public int open(String path, int flags) {
        return timed("open", () -> delegate.open(path, flags));
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        return timed(String.format("ioctl_0x%X", request), () -> delegate.ioctl(fd, request, arg));
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
        timed((flags & KEXEC_FILE_UNLOAD) != 0 ? "kexec_file_unload" : "kexec_file_load", () -> {
            delegate.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
            return null;
        });
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public void reboot(int cmd) {
        timed("reboot", () -> {
            delegate.reboot(cmd);
            return null;
        });
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
