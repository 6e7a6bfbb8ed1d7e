package dev.liveupdate.luo.sys;

/**
 * A system call (or simulated system call) failed with an errno. Unchecked: every kernel call can
 * fail, and callers decide per errno what to do via {@link #errno()} / {@link #is(Errno)}.
 */
public class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    public ErrnoException(Errno errno, String call) {
        this(errno.number(), call, null);
    }

    public ErrnoException(Errno errno, String call, String detail) {
        this(errno.number(), call, detail);
    }

    public ErrnoException(int errno, String call, String detail) {
        super(call + " failed: " + Errno.nameOf(errno) + describe(errno) + (detail == null ? "" : " (" + detail + ")"));
        this.errno = errno;
        this.call = call;
    }

    private static String describe(int errno) {
        Errno e = Errno.of(errno);
        return e == null ? "" : " - " + e.description();
    }

    /** The raw errno number. */
    public int errnoNumber() {
        return errno;
    }

    /** The named errno, or {@code null} if the number is not one this layer names. */
    public Errno errno() {
        return Errno.of(errno);
    }

    /** "EBUSY", or "errno N" for numbers this layer does not name. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    public boolean is(Errno e) {
        return errno == e.number();
    }

    /** The call that failed, e.g. "open(/dev/liveupdate)" or "ioctl(LIVEUPDATE_IOCTL_CREATE_SESSION)". */
    public String call() {
        return call;
    }
}
