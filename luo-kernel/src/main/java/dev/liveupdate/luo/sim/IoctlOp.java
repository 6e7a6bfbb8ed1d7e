package dev.liveupdate.luo.sim;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * One row of a simulated kernel ioctl table, like the kernel's {@code struct luo_ioctl_op}: the
 * full request number, the kernel's sizeof, offsetofend of the last required field, the handler
 * that works on the kernel-side copy of the struct, and (B session ioctls, 7.2's {@code
 * luo_ioctl_type_valid}) whether the op applies to this session's direction at all; an op that
 * does not apply is EINVAL, checked after the request number and before the size.
 */
record IoctlOp(String name, long request, int kernelSize, int minSize, Handler handler, BooleanSupplier applies) {

    IoctlOp(String name, long request, int kernelSize, int minSize, Handler handler) {
        this(name, request, kernelSize, minSize, handler, null);
    }

    /** Executes on the kernel copy (little-endian, kernelSize bytes); throws ErrnoException to fail. */
    @FunctionalInterface
    interface Handler {
        void execute(ByteBuffer cmd);
    }
}
