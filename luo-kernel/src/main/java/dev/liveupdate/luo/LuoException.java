package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;

/**
 * A /dev/liveupdate operation failed. Carries the errno name (e.g. "EBUSY") and a message that says
 * what it means for this operation and what to do about it.
 */
public class LuoException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public LuoException(String operation, ErrnoException cause, String advice) {
        super(cause.errnoNumber(), operation, advice);
        this.operation = operation;
        initCause(cause);
    }

    /** The LUO operation, e.g. "CREATE_SESSION(vm-42)". */
    public String operation() {
        return operation;
    }

    static boolean is(ErrnoException e, Errno errno) {
        return e.is(errno);
    }
}
