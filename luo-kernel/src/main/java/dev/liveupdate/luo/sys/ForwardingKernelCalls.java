package dev.liveupdate.luo.sys;

import com.sun.jna.Pointer;

/** Passes every call to a delegate; decorators (recording, metering) override only the calls they watch. */
public abstract class ForwardingKernelCalls implements KernelCalls {
    protected final KernelCalls delegate;

    protected ForwardingKernelCalls(KernelCalls delegate) {
        this.delegate = delegate;
    }

    @Override
    public int open(String path, int flags) {
        return delegate.open(path, flags);
    }

    @Override
    public int openat2(int dirfd, String path, int flags, long resolve) {
        return delegate.openat2(dirfd, path, flags, resolve);
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        return delegate.ioctl(fd, request, arg);
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
    public FileStat fstat(int fd) {
        return delegate.fstat(fd);
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
