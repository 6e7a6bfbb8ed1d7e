package dev.liveupdate.luo;

import dev.liveupdate.luo.abi.APreserveFd;
import dev.liveupdate.luo.abi.ARestoreFd;
import dev.liveupdate.luo.abi.ASessionGetState;
import dev.liveupdate.luo.abi.ASessionSetEvent;
import dev.liveupdate.luo.abi.AUnpreserveFd;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;

/** Generation A session fd. */
final class GenerationASession extends KernelSession {
    GenerationASession(KernelCalls calls, int fd, String name, boolean incoming) {
        super(calls, fd, Generation.A, name, incoming);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void preserve(int fileFd, long token) {
        APreserveFd arg = new APreserveFd();
        arg.fd = fileFd;
        arg.token = token;
        Ioctl.send(calls, open(), LuoAbi.A.PRESERVE_FD, arg, op("PRESERVE_FD", token), e -> e.is(Errno.ENOENT)
                ? "the file is not preservable (only memfds are)"
                : fileAdvice(e, token));
    }

    @Override
    public void unpreserve(long token) {
        AUnpreserveFd arg = new AUnpreserveFd();
        arg.token = token;
        Ioctl.send(calls, open(), LuoAbi.A.UNPRESERVE_FD, arg, op("UNPRESERVE_FD", token), e -> fileAdvice(e, token));
    }

    @Override
    public int retrieve(long token) {
        ARestoreFd arg = new ARestoreFd();
        arg.token = token;
        Ioctl.send(calls, open(), LuoAbi.A.RESTORE_FD, arg, op("RESTORE_FD", token), e -> {
            if (e.is(Errno.EBUSY)) {
                return "files can only be restored while the device and the session are UPDATED";
            }
            if (e.is(Errno.ENOENT)) {
                return "no file was preserved under token " + Long.toUnsignedString(token);
            }
            return null;
        });
        return arg.fd;
    }

    @Override
    public void finish() {
        sendEvent(LuoEvent.FINISH);
    }

    @Override
    public LuoState state() {
        ASessionGetState arg = new ASessionGetState();
        // The ABI doc marks only 'state' as output; we send incoming=0 and reserved=0.
        Ioctl.send(calls, open(), LuoAbi.A.SESSION_GET_STATE, arg, "SESSION_GET_STATE(" + name + ")", e -> null);
        return LuoState.of(arg.state);
    }

    @Override
    public void sendEvent(LuoEvent event) {
        ASessionSetEvent arg = new ASessionSetEvent();
        arg.event = event.value();
        Ioctl.send(calls, open(), LuoAbi.A.SESSION_SET_EVENT, arg, "SESSION_SET_EVENT(" + name + ", " + event + ")", e -> null);
    }

    private String fileAdvice(ErrnoException e, long token) {
        if (e.is(Errno.EBUSY)) {
            return "files can only be (un)preserved while the device is NORMAL or UPDATED and the session NORMAL";
        }
        if (e.is(Errno.ENOENT)) {
            return "no file is preserved under token " + Long.toUnsignedString(token);
        }
        if (e.is(Errno.EEXIST)) {
            return "token " + Long.toUnsignedString(token) + " is already used in session '" + name + "'";
        }
        if (e.is(Errno.EBADF)) {
            return "the fd is not open";
        }
        return null;
    }

    private String op(String ioctl, long token) {
        return ioctl + "(" + name + ", token " + Long.toUnsignedString(token) + ")";
    }
}
