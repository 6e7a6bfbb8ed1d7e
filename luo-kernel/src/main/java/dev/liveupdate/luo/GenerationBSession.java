package dev.liveupdate.luo;

import dev.liveupdate.luo.abi.BFinish;
import dev.liveupdate.luo.abi.BGetName;
import dev.liveupdate.luo.abi.BPreserveFd;
import dev.liveupdate.luo.abi.BRetrieveFd;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;

/** Generation B session fd. */
final class GenerationBSession extends KernelSession {
    GenerationBSession(KernelCalls calls, int fd, String name, boolean incoming) {
        super(calls, fd, Generation.B, name, incoming);
    }

    /** GET_NAME (7.x); on 6.19 the nr is outside the table (EINVAL) and the known name is returned. */
    @Override
    public String name() {
        BGetName arg = new BGetName();
        arg.write();
        try {
            calls.ioctl(open(), LuoAbi.B.GET_NAME, arg.getPointer());
        } catch (ErrnoException e) {
            if (e.is(Errno.EINVAL)) {
                return name;
            }
            throw new LuoException("GET_NAME(" + name + ")", e, null);
        }
        arg.read();
        return SessionNames.decode(arg.name);
    }

    @Override
    public void preserve(int fileFd, long token) {
        BPreserveFd arg = new BPreserveFd();
        arg.fd = fileFd;
        arg.token = token;
        Ioctl.send(calls, open(), LuoAbi.B.PRESERVE_FD, arg, op("PRESERVE_FD", token), e -> {
            if (e.is(Errno.ENOENT)) {
                return "the file is not preservable (only memfds are)";
            }
            if (e.is(Errno.EEXIST)) {
                return "token " + Long.toUnsignedString(token) + " is already used in session '" + name + "'";
            }
            if (e.is(Errno.ENOSPC)) {
                return "session '" + name + "' has no room for another file (6.19 kernels allow " + LuoAbi.B.MAX_FILES_PER_SESSION
                        + " per session; 7.x kernels far more, so there the kernel is short of memory); use another session";
            }
            if (e.is(Errno.EBADF)) {
                return "the fd is not open";
            }
            if (e.is(Errno.EBUSY)) {
                return "the kernel already holds this file in a session (another token or session, a dup of it, or a file"
                        + " retrieved after the update and not yet released by FINISH); a file is preserved once";
            }
            return null;
        });
    }

    @Override
    public void unpreserve(long token) {
        throw new GenerationUnsupportedException(Generation.B, "UNPRESERVE_FD",
                "a preserved file stays preserved until its session is closed, and closing an outgoing session"
                        + " destroys it with all its files; to drop one file, close the session and create it again"
                        + " with the remaining files");
    }

    @Override
    public int retrieve(long token) {
        BRetrieveFd arg = new BRetrieveFd();
        arg.token = token;
        Ioctl.send(calls, open(), LuoAbi.B.RETRIEVE_FD, arg, op("RETRIEVE_FD", token), e -> e.is(Errno.ENOENT)
                ? "no file was preserved under token " + Long.toUnsignedString(token) + " in session '" + name + "'"
                : null);
        return arg.fd;
    }

    @Override
    public void finish() {
        BFinish arg = new BFinish();
        Ioctl.send(calls, open(), LuoAbi.B.FINISH, arg, "FINISH(" + name + ")", e -> e.is(Errno.EBUSY)
                ? "a preserved file refused to finish; retry after releasing it"
                : null);
    }

    @Override
    public LuoState state() {
        throw new GenerationUnsupportedException(Generation.B, "SESSION_GET_STATE", "generation B sessions have no state");
    }

    @Override
    public void sendEvent(LuoEvent event) {
        throw new GenerationUnsupportedException(Generation.B, "SESSION_SET_EVENT(" + event + ")",
                "generation B sessions have no events; use finish() after retrieving");
    }

    private String op(String ioctl, long token) {
        return ioctl + "(" + name + ", token " + Long.toUnsignedString(token) + ")";
    }
}
