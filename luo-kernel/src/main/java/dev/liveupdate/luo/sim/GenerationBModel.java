package dev.liveupdate.luo.sim;

import static dev.liveupdate.luo.sim.LuoModel.fail;

import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Generation B (mainline 6.19 / 7.x): no global state; every open outgoing session is handed over
 * at reboot(KEXEC); incoming sessions are retrieved by name and finished one by one. The rules
 * follow 7.2.13 as observed in the QEMU guest (docs/real-kernel.md, conformance table); the
 * revision ({@link LuoRevision}) only changes the limits and GET_NAME.
 */
final class GenerationBModel extends LuoModel {

    GenerationBModel(SimMachine machine) {
        super(machine);
    }

    @Override
    IoctlDispatcher deviceTable() {
        return new IoctlDispatcher(0x00,
                new IoctlOp("CREATE_SESSION", LuoAbi.B.CREATE_SESSION, 72, 72, this::createSession),
                new IoctlOp("RETRIEVE_SESSION", LuoAbi.B.RETRIEVE_SESSION, 72, 72, this::retrieveSession));
    }

    @Override
    IoctlDispatcher sessionTable(SimSession s) {
        // 7.2 checks the direction before the size: PRESERVE_FD only on outgoing sessions,
        // RETRIEVE_FD and FINISH only on retrieved ones, GET_NAME on both.
        List<IoctlOp> ops = new ArrayList<>(List.of(
                new IoctlOp("PRESERVE_FD", LuoAbi.B.PRESERVE_FD, 16, 16, cmd -> preserve(s, cmd), () -> !s.incoming()),
                new IoctlOp("RETRIEVE_FD", LuoAbi.B.RETRIEVE_FD, 16, 16, cmd -> retrieveFd(s, cmd), s::incoming),
                new IoctlOp("FINISH", LuoAbi.B.FINISH, 8, 8, cmd -> finish(s, cmd), s::incoming)));
        if (machine.config.getName()) {
            ops.add(new IoctlOp("GET_NAME", LuoAbi.B.GET_NAME, 72, 72, cmd -> getName(s, cmd)));
        }
        return new IoctlDispatcher(0x40, ops.toArray(IoctlOp[]::new));
    }

    private List<SimSession> outgoing() {
        return machine.sessions().stream().filter(s -> !s.incoming()).toList();
    }

    private void createSession(ByteBuffer cmd) {
        int fd = machine.allocateSessionFd();
        try {
            String call = "CREATE_SESSION";
            String name = name(cmd, 8, LuoAbi.B.SESSION_NAME_LENGTH, true, call);
            if (name.isEmpty()) {
                throw fail(Errno.EINVAL, call, "empty session name");
            }
            List<SimSession> outgoing = outgoing();
            if (outgoing.size() >= machine.config.sessionLimit()) {
                throw fail(machine.config.sessionLimitErrno(), call, "session limit " + machine.config.sessionLimit() + " reached");
            }
            // Only outgoing names count: an incoming session's name may be reused.
            if (outgoing.stream().anyMatch(s -> s.name.equals(name))) {
                throw fail(Errno.EEXIST, call, "an outgoing session has that name");
            }
            cmd.putInt(4, fd);
            machine.installSession(fd, new SimSession(name, null, null));
        } catch (RuntimeException e) {
            machine.discardSessionFd(fd);
            throw e;
        }
    }

    private void retrieveSession(ByteBuffer cmd) {
        int fd = machine.allocateSessionFd();
        try {
            String call = "RETRIEVE_SESSION";
            // The kernel compares the 64 bytes as given (strncmp): an empty or unterminated name
            // simply matches no session.
            String name = name(cmd, 8, LuoAbi.B.SESSION_NAME_LENGTH, false, call);
            IncomingSession in = machine.findIncoming(name)
                    .orElseThrow(() -> fail(Errno.ENOENT, call, "no incoming session of that name"));
            Claims.Status status = machine.claimStatus(in);
            if (status == Claims.Status.GONE) {
                throw fail(Errno.ENOENT, call, "session was finished");
            }
            if (status == Claims.Status.CLAIMED) {
                throw fail(Errno.EINVAL, call, "already retrieved");
            }
            machine.claim(in);
            cmd.putInt(4, fd);
            machine.installSession(fd, new SimSession(name, in, null));
        } catch (RuntimeException e) {
            machine.discardSessionFd(fd);
            throw e;
        }
    }

    /** 7.2's luo_preserve_file order: EEXIST token, block-set limit, then the file checks (EBADF, ENOENT, EBUSY). */
    private void preserve(SimSession s, ByteBuffer cmd) {
        String call = "PRESERVE_FD";
        long token = cmd.getLong(8);
        if (s.preserved.containsKey(token)) {
            throw fail(Errno.EEXIST, call, "token " + Long.toUnsignedString(token) + " in use");
        }
        if (s.preserved.size() >= machine.config.filesPerSession()) {
            throw fail(machine.config.filesLimitErrno(), call, machine.config.filesPerSession() + " files per session");
        }
        s.preserved.put(token, machine.preserveFileB(cmd.getInt(4), token, call));
    }

    private void retrieveFd(SimSession s, ByteBuffer cmd) {
        String call = "RETRIEVE_FD";
        long token = cmd.getLong(8);
        RestorableFile file = s.restorable.get(token);
        if (file == null) {
            throw fail(Errno.ENOENT, call, "token " + Long.toUnsignedString(token) + " unknown");
        }
        cmd.putInt(4, machine.restore(file));
    }

    /**
     * FINISH: unretrieved files are released; the retrieved ones now belong to their fds only (and
     * leave the preserved-files registry). A second FINISH finds no files and returns 0, as 7.2 does.
     */
    private void finish(SimSession s, ByteBuffer cmd) {
        if (cmd.getInt(4) != 0) {
            throw fail(Errno.EINVAL, "FINISH", "reserved field is not zero");
        }
        s.restorable.values().forEach(machine::releaseRestorable);
        s.restorable.clear();
        s.finished = true;
    }

    private void getName(SimSession s, ByteBuffer cmd) {
        if (cmd.getInt(4) != 0) {
            throw fail(Errno.EINVAL, "GET_NAME", "reserved field is not zero");
        }
        putName(cmd, 8, 64, s.name);
    }

    /** Every open outgoing session is serialized; incoming ones (retrieved or not) end with this kernel. */
    @Override
    RebootPlan planReboot() {
        return new RebootPlan(true, outgoing(), new Properties());
    }

    @Override
    void rebootFailed() {
        // No state to roll back in B.
    }
}
