package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The generation-specific part of the simulated LUO: ioctl tables, state rules, hand-over. */
abstract class LuoModel {
    final SimMachine machine;

    LuoModel(SimMachine machine) {
        this.machine = machine;
    }

    /** The /dev/liveupdate ioctl table. */
    abstract IoctlDispatcher deviceTable();

    /** The session-fd ioctl table, bound to {@code session}. */
    abstract IoctlDispatcher sessionTable(SimSession session);

    /** Decides what reboot(KEXEC) hands over; may change state (A: PREPARED -> FROZEN). */
    abstract RebootPlan planReboot();

    /** The hand-over could not be written: the update did not happen (A: back to NORMAL). */
    abstract void rebootFailed();

    /** The last fd of a session was closed. */
    void sessionClosed(SimSession session) {
        machine.forgetSession(session);
    }

    /**
     * The name in a struct's name field: bytes up to the first NUL among the first {@code compared}
     * bytes. With {@code requireNul}, a field without NUL in those bytes is EINVAL.
     */
    static String name(ByteBuffer cmd, int offset, int compared, boolean requireNul, String call) {
        byte[] field = new byte[compared];
        cmd.get(offset, field);
        int n = 0;
        while (n < compared && field[n] != 0) {
            n++;
        }
        if (n == compared && requireNul) {
            throw new ErrnoException(Errno.EINVAL, call, "session name is not NUL-terminated within " + compared + " bytes");
        }
        return new String(field, 0, n, StandardCharsets.ISO_8859_1);
    }

    static void putName(ByteBuffer cmd, int offset, int length, String name) {
        byte[] field = new byte[length];
        byte[] raw = name.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(raw, 0, field, 0, Math.min(raw.length, length - 1));
        cmd.put(offset, field);
    }

    static ErrnoException fail(Errno errno, String call, String detail) {
        return new ErrnoException(errno, call, detail);
    }
}
