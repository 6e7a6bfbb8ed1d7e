package dev.liveupdate.luo;

import dev.liveupdate.luo.abi.BCreateSession;
import dev.liveupdate.luo.abi.BRetrieveSession;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Generation B device: mainline 6.19 / 7.x, no global state. */
final class GenerationBDevice extends KernelFile implements LuoDevice {
    private static final String NO_GLOBAL_STATE =
            "generation B has no global state machine; preparation is implicit (open sessions are handed over"
                    + " at reboot(KEXEC)), cancel = close the sessions, finish = FINISH on each retrieved session";

    GenerationBDevice(KernelCalls calls, int fd) {
        super(calls, fd, Generation.B);
    }

    @Override
    protected String what() {
        return "the LUO device";
    }

    @Override
    public LuoSession createSession(String name) {
        BCreateSession arg = new BCreateSession();
        arg.name = SessionNames.encode(name, Generation.B, LuoAbi.B.SESSION_NAME_LENGTH);
        Ioctl.send(calls, open(), LuoAbi.B.CREATE_SESSION, arg, "CREATE_SESSION(" + name + ")", e -> {
            if (e.is(Errno.EEXIST)) {
                return "an outgoing session named '" + name + "' already exists";
            }
            if (e.is(Errno.ENOMEM)) {
                return "out of memory or past the kernel's session limit (819 in 6.19)";
            }
            return null;
        });
        return new GenerationBSession(calls, arg.fd, name, false);
    }

    @Override
    public LuoSession retrieveSession(String name) {
        BRetrieveSession arg = new BRetrieveSession();
        arg.name = SessionNames.encode(name, Generation.B, LuoAbi.B.SESSION_NAME_LENGTH);
        Ioctl.send(calls, open(), LuoAbi.B.RETRIEVE_SESSION, arg, "RETRIEVE_SESSION(" + name + ")", e -> {
            if (e.is(Errno.ENOENT)) {
                return "the previous kernel handed over no session named '" + name + "' (always so after a cold boot)";
            }
            if (e.is(Errno.EINVAL)) {
                return "session '" + name + "' was already retrieved";
            }
            return null;
        });
        return new GenerationBSession(calls, arg.fd, name, true);
    }

    @Override
    public LuoState state() {
        throw new GenerationUnsupportedException(Generation.B, "GET_STATE", NO_GLOBAL_STATE);
    }

    @Override
    public void prepare() {
        throw new GenerationUnsupportedException(Generation.B, "SET_EVENT(PREPARE)", NO_GLOBAL_STATE);
    }

    @Override
    public void cancel() {
        throw new GenerationUnsupportedException(Generation.B, "SET_EVENT(CANCEL)", NO_GLOBAL_STATE);
    }

    @Override
    public void finish() {
        throw new GenerationUnsupportedException(Generation.B, "SET_EVENT(FINISH)", NO_GLOBAL_STATE);
    }

    @Override
    public void sendEvent(LuoEvent event) {
        throw new GenerationUnsupportedException(Generation.B, "SET_EVENT(" + event + ")", NO_GLOBAL_STATE);
    }

    /** FINISH on every given session; all are attempted, the first failure is rethrown. */
    @Override
    public void finishUpdate(Collection<? extends LuoSession> retrievedSessions) {
        List<RuntimeException> failures = new ArrayList<>();
        for (LuoSession session : retrievedSessions) {
            try {
                session.finish();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
