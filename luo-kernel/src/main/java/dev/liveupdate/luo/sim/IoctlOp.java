package dev.liveupdate.luo.sim;

import java.nio.ByteBuffer;

/**
 * One row of a simulated kernel ioctl table, like the kernel's {@code struct luo_ioctl_op}: the
 * full request number, the kernel's sizeof, offsetofend of the last required field, and the
 * handler that works on the kernel-side copy of the struct.
 */
record IoctlOp(String name, long request, int kernelSize, int minSize, Handler handler) {

    /** Executes on the kernel copy (little-endian, kernelSize bytes); throws ErrnoException to fail. */
    @FunctionalInterface
    interface Handler {
        void execute(ByteBuffer cmd);
    }
}
