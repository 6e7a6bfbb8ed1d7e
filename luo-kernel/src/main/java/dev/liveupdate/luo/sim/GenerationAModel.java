package dev.liveupdate.luo.sim;

import static dev.liveupdate.luo.sim.LuoModel.fail;

import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Generation A (the v4 series): the global state machine persisted in the state directory,
 * sessions with their own states, UNPRESERVE_FD, RESTORE_FD.
 */
final class GenerationAModel extends LuoModel {

    GenerationAModel(SimMachine machine) {
        super(machine);
    }

    @Override
    IoctlDispatcher deviceTable() {
        return new IoctlDispatcher(0x00,
                new IoctlOp("GET_STATE", LuoAbi.A.GET_STATE, 8, 8, this::getState),
                new IoctlOp("SET_EVENT", LuoAbi.A.SET_EVENT, 8, 8, this::setEvent),
                new IoctlOp("CREATE_SESSION", LuoAbi.A.CREATE_SESSION, 64, 64, this::createSession),
                new IoctlOp("RETRIEVE_SESSION", LuoAbi.A.RETRIEVE_SESSION, 72, 72, this::retrieveSession));
    }

    @Override
    IoctlDispatcher sessionTable(SimSession s) {
        return new IoctlDispatcher(0x40,
                new IoctlOp("PRESERVE_FD", LuoAbi.A.PRESERVE_FD, 16, 16, cmd -> preserve(s, cmd)),
                new IoctlOp("UNPRESERVE_FD", LuoAbi.A.UNPRESERVE_FD, 16, 16, cmd -> unpreserve(s, cmd)),
                new IoctlOp("RESTORE_FD", LuoAbi.A.RESTORE_FD, 16, 16, cmd -> restore(s, cmd)),
                new IoctlOp("SESSION_GET_STATE", LuoAbi.A.SESSION_GET_STATE, 12, 12, cmd -> cmd.putInt(8, s.state.value())),
                new IoctlOp("SESSION_SET_EVENT", LuoAbi.A.SESSION_SET_EVENT, 8, 8, cmd -> sessionEvent(s, cmd)));
    }

    // ---- device ioctls ----------------------------------------------------------------------

    private void getState(ByteBuffer cmd) {
        cmd.putInt(4, machine.globalState().value());
    }

    private void setEvent(ByteBuffer cmd) {
        int event = cmd.getInt(4);
        LuoState state = machine.globalState();
        String call = "SET_EVENT(" + Integer.toUnsignedString(event) + ")";
        if (event == LuoEvent.PREPARE.value()) {
            require(state == LuoState.NORMAL, call, "PREPARE needs NORMAL, state is " + state);
            forSessionsIn(LuoState.NORMAL, LuoState.PREPARED);
            machine.setGlobalState(LuoState.PREPARED);
        } else if (event == LuoEvent.FINISH.value()) {
            require(state == LuoState.UPDATED, call, "FINISH needs UPDATED, state is " + state);
            finishAll();
            machine.setGlobalState(LuoState.NORMAL);
        } else if (event == LuoEvent.CANCEL.value()) {
            require(state == LuoState.PREPARED || state == LuoState.FROZEN, call, "CANCEL needs PREPARED or FROZEN, state is " + state);
            forSessionsIn(LuoState.PREPARED, LuoState.NORMAL);
            forSessionsIn(LuoState.FROZEN, LuoState.NORMAL);
            machine.setGlobalState(LuoState.NORMAL);
        } else {
            throw fail(Errno.EOPNOTSUPP, call, event == LuoEvent.FREEZE.value()
                    ? "FREEZE happens only inside reboot(KEXEC)" : "unknown event");
        }
    }

    /** Global FINISH: unreclaimed incoming sessions are removed, retrieved ones become NORMAL. */
    private void finishAll() {
        machine.store.updateState(p -> machine.incoming().forEach(in -> p.setProperty(Claims.key(in.index()), "gone")));
        for (SimSession s : machine.sessions()) {
            if (s.state == LuoState.UPDATED) {
                finishSession(s);
            }
        }
    }

    private void createSession(ByteBuffer cmd) {
        int fd = machine.allocateSessionFd();
        try {
            String call = "CREATE_SESSION";
            LuoState state = machine.globalState();
            if (state == LuoState.PREPARED || state == LuoState.FROZEN) {
                throw fail(Errno.EAGAIN, call, "state is " + state);
            }
            String name = name(cmd, 8, LuoAbi.A.SESSION_NAME_LENGTH, true, call);
            if (nameInUse(name)) {
                throw fail(Errno.EEXIST, call, "session name in use");
            }
            SimSession session = new SimSession(name, null, LuoState.NORMAL);
            cmd.putInt(4, fd);
            machine.installSession(fd, session);
        } catch (RuntimeException e) {
            machine.discardSessionFd(fd);
            throw e;
        }
    }

    /** One list of sessions in A: live ones and incoming ones not yet removed share the name space. */
    private boolean nameInUse(String name) {
        if (machine.sessions().stream().anyMatch(s -> s.name.equals(name))) {
            return true;
        }
        return machine.findIncoming(name).map(in -> machine.claimStatus(in) != Claims.Status.GONE).orElse(false);
    }

    private void retrieveSession(ByteBuffer cmd) {
        int fd = machine.allocateSessionFd();
        try {
            String call = "RETRIEVE_SESSION";
            LuoState state = machine.globalState();
            if (state != LuoState.UPDATED) {
                throw fail(Errno.EAGAIN, call, "state is " + state + ", not UPDATED");
            }
            // The field is 64 bytes but the kernel compares at most 56.
            String name = name(cmd, 8, LuoAbi.A.SESSION_NAME_LENGTH, false, call);
            IncomingSession in = machine.findIncoming(name)
                    .orElseThrow(() -> fail(Errno.ENOENT, call, "no incoming session of that name"));
            Claims.Status status = machine.claimStatus(in);
            if (status == Claims.Status.GONE) {
                throw fail(Errno.ENOENT, call, "session was removed");
            }
            if (status == Claims.Status.CLAIMED) {
                throw fail(Errno.EADDRINUSE, call, "already retrieved");
            }
            machine.claim(in);
            cmd.putInt(4, fd);
            machine.installSession(fd, new SimSession(name, in, LuoState.UPDATED));
        } catch (RuntimeException e) {
            machine.discardSessionFd(fd);
            throw e;
        }
    }

    // ---- session ioctls ---------------------------------------------------------------------

    private void requireMutable(SimSession s, String call) {
        LuoState global = machine.globalState();
        if (!(global == LuoState.NORMAL || global == LuoState.UPDATED) || s.state != LuoState.NORMAL) {
            throw fail(Errno.EBUSY, call, "global " + global + ", session " + s.state);
        }
    }

    private void preserve(SimSession s, ByteBuffer cmd) {
        String call = "PRESERVE_FD";
        requireMutable(s, call);
        long token = cmd.getLong(8);
        if (s.preserved.containsKey(token)) {
            throw fail(Errno.EEXIST, call, "token " + Long.toUnsignedString(token) + " in use");
        }
        s.preserved.put(token, machine.preserveFile(cmd.getInt(4), token, call));
    }

    private void unpreserve(SimSession s, ByteBuffer cmd) {
        String call = "UNPRESERVE_FD";
        if (cmd.getInt(4) != 0) {
            throw fail(Errno.EOPNOTSUPP, call, "reserved must be 0");
        }
        requireMutable(s, call);
        long token = cmd.getLong(8);
        PreservedFile file = s.preserved.remove(token);
        if (file == null) {
            throw fail(Errno.ENOENT, call, "token " + Long.toUnsignedString(token) + " not preserved");
        }
        machine.discardSessionFd(file.fd());
    }

    private void restore(SimSession s, ByteBuffer cmd) {
        String call = "RESTORE_FD";
        LuoState global = machine.globalState();
        if (global != LuoState.UPDATED || s.state != LuoState.UPDATED) {
            throw fail(Errno.EBUSY, call, "global " + global + ", session " + s.state);
        }
        long token = cmd.getLong(8);
        RestorableFile file = s.restorable.get(token);
        if (file == null) {
            throw fail(Errno.ENOENT, call, "token " + Long.toUnsignedString(token) + " unknown");
        }
        cmd.putInt(4, machine.restore(file));
    }

    private void sessionEvent(SimSession s, ByteBuffer cmd) {
        int event = cmd.getInt(4);
        String call = "SESSION_SET_EVENT(" + Integer.toUnsignedString(event) + ")";
        if (event == LuoEvent.PREPARE.value()) {
            require(s.state == LuoState.NORMAL, call, "session is " + s.state);
            s.state = LuoState.PREPARED;
        } else if (event == LuoEvent.CANCEL.value()) {
            require(s.state == LuoState.PREPARED || s.state == LuoState.FROZEN, call, "session is " + s.state);
            s.state = LuoState.NORMAL;
        } else if (event == LuoEvent.FINISH.value()) {
            require(s.state == LuoState.UPDATED, call, "session is " + s.state);
            finishSession(s);
        } else {
            // FREEZE belongs to reboot(KEXEC); unknown events are EINVAL here (EOPNOTSUPP globally).
            throw fail(Errno.EINVAL, call, event == LuoEvent.FREEZE.value() ? "FREEZE only inside reboot" : "unknown event");
        }
    }

    /** A finished retrieved session: unrestored files are released; it continues as a NORMAL session. */
    private void finishSession(SimSession s) {
        s.restorable.values().stream().filter(f -> f.fd >= 0).forEach(f -> machine.discardSessionFd(f.fd));
        s.restorable.clear();
        s.state = LuoState.NORMAL;
    }

    private void forSessionsIn(LuoState from, LuoState to) {
        machine.sessions().stream().filter(s -> s.state == from).forEach(s -> s.state = to);
    }

    private static void require(boolean ok, String call, String detail) {
        if (!ok) {
            throw fail(Errno.EINVAL, call, detail);
        }
    }

    // ---- kexec ------------------------------------------------------------------------------

    /** Only PREPARED freezes and hands over; from any other state the next kernel boots NORMAL with nothing. */
    @Override
    RebootPlan planReboot() {
        Properties next = new Properties();
        if (machine.globalState() != LuoState.PREPARED) {
            next.setProperty("global_state", LuoState.NORMAL.name());
            return new RebootPlan(false, List.of(), next);
        }
        machine.setGlobalState(LuoState.FROZEN);
        forSessionsIn(LuoState.PREPARED, LuoState.FROZEN);
        List<SimSession> handedOver = new ArrayList<>(machine.sessions());
        next.setProperty("global_state", LuoState.UPDATED.name());
        return new RebootPlan(true, handedOver, next);
    }

    /** A failing freeze returns the error from reboot() and goes back to NORMAL. */
    @Override
    void rebootFailed() {
        forSessionsIn(LuoState.FROZEN, LuoState.NORMAL);
        forSessionsIn(LuoState.PREPARED, LuoState.NORMAL);
        machine.setGlobalState(LuoState.NORMAL);
    }
}
