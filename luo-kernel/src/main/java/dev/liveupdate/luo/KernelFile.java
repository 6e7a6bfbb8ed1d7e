package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.KernelCalls;

/**
 * An fd of the LUO device or of one of its sessions, bound to one ABI generation: what every generation's device and
 * session share (the fd, closing it once, refusing use after close).
 */
abstract class KernelFile implements AutoCloseable {
    protected final KernelCalls calls;
    private final int fd;
    private final Generation generation;
    private boolean closed;

    KernelFile(KernelCalls calls, int fd, Generation generation) {
        this.calls = calls;
        this.fd = fd;
        this.generation = generation;
    }

    public Generation generation() {
        return generation;
    }

    public int fd() {
        return fd;
    }

    /** What this fd is, for the message of a use after close ("the LUO device", "session 'vm'"). */
    protected abstract String what();

    /** The fd for an ioctl; a closed one is a bug in the caller, not a kernel error. */
    protected int open() {
        if (closed) {
            throw new IllegalStateException(what() + " is closed");
        }
        return fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LuoDevices.closeQuietly(calls, fd);
        }
    }
}
