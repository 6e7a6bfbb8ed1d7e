package dev.liveupdate.agent.kernel;

import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.function.Supplier;

/**
 * KernelCalls that measure the calls that matter for live updates (open, ioctl by request number,
 * kexec_file_load, reboot) and pass everything through unchanged.
 */
public final class MeteredKernelCalls extends ForwardingKernelCalls {
    private final KernelCallMetrics metrics;

    public MeteredKernelCalls(KernelCalls delegate, KernelCallMetrics metrics) {
        super(delegate);
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
    public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        timed((flags & KEXEC_FILE_UNLOAD) != 0 ? "kexec_file_unload" : "kexec_file_load", () -> {
            delegate.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
            return null;
        });
    }

    @Override
    public void reboot(int cmd) {
        timed("reboot", () -> {
            delegate.reboot(cmd);
            return null;
        });
    }
}
