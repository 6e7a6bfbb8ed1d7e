package dev.liveupdate.luo;

import com.sun.jna.Structure;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.function.Function;

/** Sends one ioctl with a JNA struct: write the struct to memory, call, read the kernel's answer back. */
final class Ioctl {
    private Ioctl() {}

    /**
     * @param advice turns the errno into an actionable sentence for this operation (may return null)
     */
    static void send(KernelCalls calls, int fd, long request, Structure arg, String operation,
            Function<ErrnoException, String> advice) {
        arg.write();
        try {
            calls.ioctl(fd, request, arg.getPointer());
        } catch (ErrnoException e) {
            throw new LuoException(operation, e, advice.apply(e));
        }
        arg.read();
    }
}
