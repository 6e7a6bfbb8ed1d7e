package dev.liveupdate.luo.sim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's ioctl entry (luo_ioctl in the seed) for one table, in the kernel's order:
 * <ol>
 * <li>nr outside the table: EINVAL</li>
 * <li>size cannot be read from the pointer: EFAULT</li>
 * <li>the entry's full request number differs (e.g. _IOR encoding): ENOTTY (the kernel returns
 * ENOIOCTLCMD, which the VFS turns into ENOTTY)</li>
 * <li>B session ioctls: the op is not for this session's direction: EINVAL</li>
 * <li>size below offsetofend of the last required field: EINVAL</li>
 * <li>copy_struct_from_user: size above the kernel struct with non-zero extra bytes: E2BIG</li>
 * <li>execute; on success copy back min(size, kernel sizeof) bytes</li>
 * </ol>
 */
final class IoctlDispatcher {
    /** Without a Memory object we cannot know the mapping; larger reads are refused as EFAULT. */
    private static final long MAX_UNBOUNDED_READ = 64 * 1024;

    private final int base;
    private final IoctlOp[] table;

    IoctlDispatcher(int base, IoctlOp... table) {
        this.base = base;
        this.table = table.clone();
        for (int i = 0; i < table.length; i++) {
            if ((table[i].request() & 0xFF) != base + i) {
                throw new IllegalArgumentException(table[i].name() + " is not at nr " + (base + i));
            }
        }
    }

    int dispatch(long request, Pointer arg) {
        long cmd = request & 0xFFFFFFFFL; // the kernel's 'unsigned int cmd'
        int nr = (int) (cmd & 0xFF); // _IOC_NR
        String call = String.format("ioctl(0x%X)", cmd);
        if (nr < base || nr - base >= table.length) {
            throw new ErrnoException(Errno.EINVAL, call, "nr 0x" + Integer.toHexString(nr) + " outside the command table");
        }
        if (!readable(arg, 4)) {
            throw new ErrnoException(Errno.EFAULT, call, "cannot read size");
        }
        long userSize = Integer.toUnsignedLong(arg.getInt(0));
        IoctlOp op = table[nr - base];
        if (op.request() != cmd) {
            throw new ErrnoException(Errno.ENOTTY, call, "table entry is 0x" + Long.toHexString(op.request()));
        }
        call = "ioctl(" + op.name() + ")";
        if (op.applies() != null && !op.applies().getAsBoolean()) {
            throw new ErrnoException(Errno.EINVAL, call, "not for a session of this direction (incoming/outgoing)");
        }
        if (userSize < op.minSize()) {
            throw new ErrnoException(Errno.EINVAL, call, "size " + userSize + " < " + op.minSize());
        }
        ByteBuffer kernelCopy = copyStructFromUser(arg, userSize, op.kernelSize(), call);
        op.handler().execute(kernelCopy);
        int back = (int) Math.min(userSize, op.kernelSize());
        arg.write(0, kernelCopy.array(), 0, back);
        return 0;
    }

    private static ByteBuffer copyStructFromUser(Pointer arg, long userSize, int kernelSize, String call) {
        if (!readable(arg, userSize)) {
            throw new ErrnoException(Errno.EFAULT, call, "cannot read " + userSize + " bytes");
        }
        ByteBuffer kernel = ByteBuffer.allocate(kernelSize).order(ByteOrder.LITTLE_ENDIAN);
        int copy = (int) Math.min(userSize, kernelSize);
        kernel.put(arg.getByteArray(0, copy));
        kernel.clear();
        if (userSize > kernelSize) {
            byte[] extra = arg.getByteArray(kernelSize, (int) (userSize - kernelSize));
            for (byte b : extra) {
                if (b != 0) {
                    throw new ErrnoException(Errno.E2BIG, call, "non-zero bytes beyond the kernel's " + kernelSize);
                }
            }
        }
        return kernel;
    }

    /** A NULL, null-page or kernel-half pointer, or one shorter than {@code length}, faults. */
    private static boolean readable(Pointer p, long length) {
        if (p == null) {
            return false;
        }
        long address = Pointer.nativeValue(p);
        if (address < 4096) { // negative = upper half of the address space, never user memory
            return false;
        }
        if (p instanceof Memory) {
            return length <= ((Memory) p).size();
        }
        return length <= MAX_UNBOUNDED_READ;
    }
}
