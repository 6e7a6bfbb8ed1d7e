package dev.liveupdate.luo;

import dev.liveupdate.luo.abi.AGetState;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;

/** Opens /dev/liveupdate and binds the generation found by the side-effect-free probe. */
public final class LuoDevices {
    /** Where the real kernel creates the device node. */
    public static final Path DEFAULT_PATH = Path.of("/dev/liveupdate");

    private LuoDevices() {}

    /**
     * Opens the device exclusively (O_RDWR|O_CLOEXEC), probes the generation and returns a device
     * bound to it.
     *
     * @throws LuoUnavailableException ENOENT: the kernel has no LUO
     * @throws DeviceBusyException EBUSY: someone else holds the device (holders named)
     * @throws LuoException any other errno (EIO on B: incoming sessions failed to deserialize)
     */
    public static LuoDevice open(KernelCalls calls, Path devicePath) {
        String path = devicePath.toString();
        String operation = "open(" + path + ")";
        int fd;
        try {
            fd = calls.open(path, KernelCalls.O_RDWR | KernelCalls.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw openFailure(calls, path, operation, e);
        }
        try {
            Generation generation = probe(calls, fd);
            return generation == Generation.A
                    ? new GenerationADevice(calls, fd)
                    : new GenerationBDevice(calls, fd);
        } catch (RuntimeException e) {
            closeQuietly(calls, fd);
            throw e;
        }
    }

    /**
     * The probe from the ABI doc: ioctl(fd, 0xBA00, {size=8, 0}). 0 means A (GET_STATE). EINVAL
     * means B: there 0xBA00 is CREATE_SESSION with minimum size 72, rejected before it does
     * anything. Nothing else is ever probed (0xBA04..0xBA07 are state transitions in older trees).
     */
    static Generation probe(KernelCalls calls, int fd) {
        AGetState probe = new AGetState();
        probe.size = 8;
        probe.write();
        try {
            calls.ioctl(fd, LuoAbi.A.GET_STATE, probe.getPointer());
            return Generation.A;
        } catch (ErrnoException e) {
            if (e.is(Errno.EINVAL)) {
                return Generation.B;
            }
            throw new LuoException("probe ioctl(0xBA00, size=8)", e,
                    "neither generation A (0) nor B (EINVAL) answered; this /dev/liveupdate speaks an unknown ABI - do not use it");
        }
    }

    private static LuoException openFailure(KernelCalls calls, String path, String operation, ErrnoException e) {
        if (e.is(Errno.ENOENT) || e.is(Errno.ENODEV) || e.is(Errno.ENXIO)) {
            return new LuoUnavailableException(operation, e);
        }
        if (e.is(Errno.EBUSY)) {
            return new DeviceBusyException(operation, e, DeviceHolders.find(calls.deviceLinkTarget(path)));
        }
        if (e.is(Errno.EIO)) {
            return new LuoException(operation, e, "generation B: the incoming sessions from the previous kernel"
                    + " failed to deserialize; preserved state from before the kexec is lost - check dmesg for 'luo'");
        }
        if (e.is(Errno.EACCES) || e.is(Errno.EPERM)) {
            return new LuoException(operation, e, "the agent needs read/write access to " + path
                    + " (run privileged or mount the device into the container)");
        }
        return new LuoException(operation, e, null);
    }

    static void closeQuietly(KernelCalls calls, int fd) {
        try {
            calls.close(fd);
        } catch (ErrnoException ignored) {
            // Nothing useful to do: the fd is gone either way.
        }
    }
}
