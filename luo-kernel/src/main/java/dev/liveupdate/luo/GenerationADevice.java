package dev.liveupdate.luo;

import dev.liveupdate.luo.abi.ACreateSession;
import dev.liveupdate.luo.abi.AGetState;
import dev.liveupdate.luo.abi.ARetrieveSession;
import dev.liveupdate.luo.abi.ASetEvent;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.Collection;

/** Generation A device: the v4 ioctls with their exact struct sizes. */
final class GenerationADevice extends KernelFile implements LuoDevice {
    GenerationADevice(KernelCalls calls, int fd) {
        super(calls, fd, Generation.A);
    }

    @Override
    protected String what() {
        return "the LUO device";
    }

    @Override
    public LuoSession createSession(String name) {
        ACreateSession arg = new ACreateSession();
        arg.name = SessionNames.encode(name, Generation.A, LuoAbi.A.SESSION_NAME_LENGTH);
        Ioctl.send(calls, open(), LuoAbi.A.CREATE_SESSION, arg, "CREATE_SESSION(" + name + ")", e -> {
            if (e.is(Errno.EEXIST)) {
                return "a session named '" + name + "' already exists";
            }
            if (e.is(Errno.EAGAIN)) {
                return "the device is PREPARED or FROZEN; sessions can only be created in NORMAL or UPDATED (CANCEL first)";
            }
            return null;
        });
        return new GenerationASession(calls, arg.fd, name, false);
    }

    @Override
    public LuoSession retrieveSession(String name) {
        ARetrieveSession arg = new ARetrieveSession();
        arg.name = SessionNames.encode(name, Generation.A, LuoAbi.A.RETRIEVE_NAME_FIELD);
        Ioctl.send(calls, open(), LuoAbi.A.RETRIEVE_SESSION, arg, "RETRIEVE_SESSION(" + name + ")", e -> {
            if (e.is(Errno.EAGAIN)) {
                return "sessions can only be retrieved in state UPDATED (this boot did not come from a live update, or FINISH was already sent)";
            }
            if (e.is(Errno.ENOENT)) {
                return "the previous kernel handed over no session named '" + name + "'";
            }
            if (e.is(Errno.EADDRINUSE)) {
                return "session '" + name + "' was already retrieved and its fd is still open";
            }
            return null;
        });
        return new GenerationASession(calls, arg.fd, name, true);
    }

    @Override
    public LuoState state() {
        AGetState arg = new AGetState();
        Ioctl.send(calls, open(), LuoAbi.A.GET_STATE, arg, "GET_STATE", e -> null);
        return LuoState.of(arg.state);
    }

    @Override
    public void prepare() {
        sendEvent(LuoEvent.PREPARE);
    }

    @Override
    public void cancel() {
        sendEvent(LuoEvent.CANCEL);
    }

    @Override
    public void finish() {
        sendEvent(LuoEvent.FINISH);
    }

    @Override
    public void sendEvent(LuoEvent event) {
        ASetEvent arg = new ASetEvent();
        arg.event = event.value();
        Ioctl.send(calls, open(), LuoAbi.A.SET_EVENT, arg, "SET_EVENT(" + event + ")", e -> advice(event, e));
    }

    private static String advice(LuoEvent event, ErrnoException e) {
        if (e.is(Errno.EINVAL)) {
            switch (event) {
                case PREPARE: return "PREPARE needs state NORMAL";
                case FINISH: return "FINISH needs state UPDATED";
                case CANCEL: return "CANCEL needs state PREPARED or FROZEN";
                default: return null;
            }
        }
        if (e.is(Errno.EOPNOTSUPP) && event == LuoEvent.FREEZE) {
            return "FREEZE happens only inside reboot(KEXEC)";
        }
        return null;
    }

    @Override
    public void finishUpdate(Collection<? extends LuoSession> retrievedSessions) {
        finish();
    }
}
