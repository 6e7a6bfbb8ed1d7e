package dev.liveupdate.luo.testing;

import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A KernelCalls whose open and ioctl answers are scripted, recording what was sent. Other calls are unsupported. */
public final class ScriptedKernelCalls implements KernelCalls {
    /** Answers an ioctl: returns a value or throws ErrnoException. */
    @FunctionalInterface
    public interface IoctlAnswer {
        int answer(int fd, long request, Pointer arg);
    }

    public final List<String> log = new ArrayList<>();
    public final List<Integer> closed = new ArrayList<>();
    private final Supplier<Integer> open;
    private final IoctlAnswer ioctl;

    public ScriptedKernelCalls(Supplier<Integer> open, IoctlAnswer ioctl) {
        this.open = open;
        this.ioctl = ioctl;
    }

    public static Supplier<Integer> fails(ErrnoException e) {
        return () -> {
            throw e;
        };
    }

    @Override
    public int open(String path, int flags) {
        log.add("open " + path + " " + Integer.toHexString(flags));
        return open.get();
    }

    @Override
    public int openat2(int dirfd, String path, int flags, long resolve) {
        throw no();
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        byte[] bytes = arg.getByteArray(0, arg.getInt(0));
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        log.add(String.format("ioctl %d 0x%X %s", fd, request, hex));
        return ioctl.answer(fd, request, arg);
    }

    @Override
    public void close(int fd) {
        closed.add(fd);
    }

    private static UnsupportedOperationException no() {
        return new UnsupportedOperationException("not scripted");
    }

    @Override
    public int dup(int fd) {
        throw no();
    }

    @Override
    public int memfdCreate(String name, int flags) {
        throw no();
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        throw no();
    }

    @Override
    public int write(int fd, byte[] buf, int len) {
        throw no();
    }

    @Override
    public int pread(int fd, byte[] buf, int len, long offset) {
        throw no();
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        throw no();
    }

    @Override
    public void ftruncate(int fd, long length) {
        throw no();
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        throw no();
    }

    @Override
    public void sync() {
        throw no();
    }

    @Override
    public void reboot(int cmd) {
        throw no();
    }

    @Override
    public dev.liveupdate.luo.sys.FileStat fstat(int fd) {
        throw no();
    }

    @Override
    public String fdTarget(int fd) {
        throw no();
    }
}
