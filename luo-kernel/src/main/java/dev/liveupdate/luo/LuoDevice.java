package dev.liveupdate.luo;

import java.util.Collection;

/**
 * An exclusively open {@code /dev/liveupdate} bound to one ABI {@link Generation}. Get one from
 * {@link LuoDevices#open}. Every ioctl it sends uses the bound generation's request numbers and
 * exact struct sizes.
 *
 * <p>Closing the device only releases exclusivity: sessions stay alive as long as their own fds
 * are open, and (A) the global state stays where it is.
 *
 * <p>Not thread-safe: one owner (the agent's device keeper) serializes calls on a device and its
 * sessions.
 *
 * <p>Failures are {@link LuoException}s carrying the errno; operations missing from the bound
 * generation throw {@link GenerationUnsupportedException} without touching the kernel.
 *
 * <h2>What the agent does per generation</h2>
 * <table>
 * <caption>per-node protocol steps</caption>
 * <tr><th>step</th><th>A</th><th>B</th></tr>
 * <tr><td>prepare</td><td>createSession + preserve, then {@link #prepare()}</td><td>createSession + preserve</td></tr>
 * <tr><td>cancel</td><td>{@link #cancel()}, then close sessions</td><td>close sessions</td></tr>
 * <tr><td>after kexec</td><td>{@link #state()} == UPDATED; retrieveSession; retrieve(token)</td><td>retrieveSession; retrieve(token)</td></tr>
 * <tr><td>finish</td><td>{@link #finish()} (global FINISH)</td><td>{@link LuoSession#finish()} per retrieved session</td></tr>
 * </table>
 * {@link #finishUpdate(Collection)} does the right finish for the bound generation.
 */
public interface LuoDevice extends AutoCloseable {

    /** The generation detected at open and bound for the life of this device. */
    Generation generation();

    /** The device fd (for diagnostics; do not close it directly). */
    int fd();

    /**
     * CREATE_SESSION: a new outgoing session. The name is UTF-8, 1..{@link
     * Generation#maxSessionNameBytes()} bytes, no NUL. Errors: EEXIST (name in use), EAGAIN (A:
     * PREPARED/FROZEN), ENOMEM (B: also past the session limit), EMFILE.
     */
    LuoSession createSession(String name);

    /**
     * RETRIEVE_SESSION: an incoming session handed over by the previous kernel. Errors: ENOENT (no
     * such incoming session, always after a cold boot); A: EAGAIN unless UPDATED, EADDRINUSE
     * already retrieved; B: EINVAL already retrieved.
     */
    LuoSession retrieveSession(String name);

    /** A only: GET_STATE. */
    LuoState state();

    /** A only: SET_EVENT(PREPARE), NORMAL -> PREPARED (else EINVAL). */
    void prepare();

    /** A only: SET_EVENT(CANCEL), PREPARED/FROZEN -> NORMAL (else EINVAL). */
    void cancel();

    /**
     * A only: SET_EVENT(FINISH), UPDATED -> NORMAL (else EINVAL). Removes every incoming session
     * that was not retrieved. On B use {@link LuoSession#finish()} or {@link #finishUpdate}.
     */
    void finish();

    /** A only: SET_EVENT with any event (FREEZE gives EOPNOTSUPP). For tests and diagnostics. */
    void sendEvent(LuoEvent event);

    /**
     * Ends a live update the way the bound generation requires: A sends the global FINISH (the
     * sessions argument is not used); B sends FINISH on each given retrieved session.
     */
    void finishUpdate(Collection<? extends LuoSession> retrievedSessions);

    /** Closes the device fd, releasing exclusivity. Sessions and (A) global state are unaffected. */
    @Override
    void close();
}
