package dev.liveupdate.luo;

/**
 * A LUO session fd: a named group of preserved files. Outgoing sessions come from {@link
 * LuoDevice#createSession}, incoming ones (handed over by the previous kernel) from {@link
 * LuoDevice#retrieveSession}.
 *
 * <p>Closing the session fd has consequences: an outgoing session is destroyed and its files
 * unpreserved (A after PREPARE: dropped from the hand-over); B: closing a retrieved session
 * finishes it implicitly. Keep the session open until reboot(KEXEC) (outgoing) or until you are
 * done with it (incoming).
 *
 * <p>Tokens are u64 values chosen by the caller (Java {@code long}, compared as unsigned).
 */
public interface LuoSession extends AutoCloseable {

    /** The bound generation of the device this session came from. */
    Generation generation();

    /** The session fd (e.g. to hand to systemd's fd store). Still owned by this object. */
    int fd();

    /** True if this session was retrieved from the previous kernel. */
    boolean incoming();

    /**
     * The session name. B: asks the kernel (GET_NAME, Linux 7.x) and falls back to the name used
     * at create/retrieve on kernels without it (6.19 answers EINVAL). A: the name used at
     * create/retrieve (A has no such ioctl).
     */
    String name();

    /**
     * PRESERVE_FD: the kernel takes its own reference to the file behind {@code fd} (the caller may
     * close its fd). Only memfds are preservable. Errors: EEXIST token used, EBADF, ENOENT not
     * preservable, B: ENOSPC past 128 files; A: EBUSY unless global NORMAL/UPDATED and session NORMAL.
     */
    void preserve(int fd, long token);

    /**
     * A only: UNPRESERVE_FD. B has no such ioctl ({@link GenerationUnsupportedException}): there a
     * file stays preserved until its session is closed, which destroys the whole outgoing session.
     */
    void unpreserve(long token);

    /**
     * A: RESTORE_FD; B: RETRIEVE_FD. Returns a new fd (owned by the caller) to the restored file.
     * Errors: ENOENT unknown token; A: EBUSY unless global and session UPDATED.
     */
    int retrieve(long token);

    /**
     * Ends this incoming session: B: FINISH (unretrieved files are released; EBUSY if a file
     * refuses). A: SESSION_SET_EVENT(FINISH) for this session only; the agent's end of an A
     * update is the global {@link LuoDevice#finish()}.
     */
    void finish();

    /** A only: SESSION_GET_STATE. */
    LuoState state();

    /** A only: SESSION_SET_EVENT (unknown events: EINVAL). */
    void sendEvent(LuoEvent event);

    /** Closes the session fd (see the class comment for what that means). Idempotent. */
    @Override
    void close();
}
