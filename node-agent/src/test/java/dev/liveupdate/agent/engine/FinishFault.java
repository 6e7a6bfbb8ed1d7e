package dev.liveupdate.agent.engine;

import com.sun.jna.Pointer;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;

/** Kernel calls whose FINISH (A: SET_EVENT(FINISH); B: the session FINISH) fails, or succeeds and then the agent dies. */
final class FinishFault extends ForwardingKernelCalls {
    enum Mode {
        /** The kernel refuses FINISH with an errno (EBUSY: a preserved file refuses, on B). */
        ERRNO,
        /** FINISH happens in the kernel, then the agent process dies before its next instruction. */
        DIE_AFTER
    }

    static final class AgentDied extends RuntimeException {
        AgentDied() {
            super("agent killed right after FINISH returned");
        }
    }

    private final Generation generation;
    private final Mode mode;

    FinishFault(KernelCalls delegate, Generation generation, Mode mode) {
        super(delegate);
        this.generation = generation;
        this.mode = mode;
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        if (!isFinish(request, arg)) {
            return delegate.ioctl(fd, request, arg);
        }
        if (mode == Mode.ERRNO) {
            throw new ErrnoException(Errno.EBUSY, String.format("ioctl(%d, 0x%X)", fd, request), "injected");
        }
        delegate.ioctl(fd, request, arg);
        throw new AgentDied();
    }

    private boolean isFinish(long request, Pointer arg) {
        return generation == Generation.A
                ? request == LuoAbi.A.SET_EVENT && arg.getInt(4) == LuoEvent.FINISH.value()
                : request == LuoAbi.B.FINISH;
    }
}
