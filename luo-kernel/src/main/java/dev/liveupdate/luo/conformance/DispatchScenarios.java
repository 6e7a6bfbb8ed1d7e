package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.BOTH;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dispatch rules shared by both generations, with raw ioctls on the device fd and on a
 * session fd. Only requests of the bound generation's tables are used (never 0xBA04..0xBA07).
 */
final class DispatchScenarios {
    private DispatchScenarios() {}

    /** _IOWR(0xBA, nr, size): same nr, different full request number. */
    static long iowr(int nr, int size) {
        return (3L << 30) | ((long) size << 16) | (LuoAbi.IOCTL_TYPE << 8) | nr;
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("generation probe: GET_STATE{size=8} answers 0 on A, EINVAL on B, without side effects", BOTH,
                        DispatchScenarios::probe),
                Scenario.of("dispatch: nr outside the table (EINVAL)", BOTH, DispatchScenarios::nrOutside),
                Scenario.of("dispatch: unreadable argument (EFAULT)", BOTH, DispatchScenarios::unreadable),
                Scenario.of("dispatch: other request encoding of a known nr (ENOTTY)", BOTH, DispatchScenarios::wrongEncoding),
                Scenario.of("dispatch: size below the minimum (EINVAL)", BOTH, DispatchScenarios::tooSmall),
                Scenario.of("dispatch: larger struct with non-zero tail (E2BIG)", BOTH, DispatchScenarios::nonZeroTail),
                Scenario.of("dispatch: larger struct with zero tail is accepted, min(size, sizeof) copied back", BOTH,
                        DispatchScenarios::zeroTail));
    }

    private static void probe(ScenarioContext ctx) {
        int fd = ctx.openRawDevice();
        for (int attempt = 0; attempt < 2; attempt++) {
            Memory m = ScenarioContext.struct(8);
            m.setInt(0, 8);
            if (ctx.generation() == Generation.A) {
                ctx.raw().ioctl(fd, 0xBA00, m);
                LuoState state = LuoState.of(m.getInt(4));
                Check.that(state != LuoState.UNDEFINED, "GET_STATE returned a defined state, got " + m.getInt(4));
            } else {
                Check.errno(Errno.EINVAL, "probe on B", () -> ctx.raw().ioctl(fd, 0xBA00, m));
                Check.equal(m.getInt(4), 0, "B wrote nothing back (fd field)");
            }
        }
    }

    private static void nrOutside(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-nr"));
        int dev = device.fd();
        Memory m = ScenarioContext.struct(16);
        m.setInt(0, 16);
        Check.errno(Errno.EINVAL, "device 0xBA30", () -> ctx.raw().ioctl(dev, 0xBA30, m));
        Check.errno(Errno.EINVAL, "device 0xBA40 (a session nr)", () -> ctx.raw().ioctl(dev, 0xBA40, m));
        Check.errno(Errno.EINVAL, "session 0xBA50", () -> ctx.raw().ioctl(s.fd(), 0xBA50, m));
        Check.errno(Errno.EINVAL, "session 0xBA3F (below the session table)", () -> ctx.raw().ioctl(s.fd(), 0xBA3F, m));
    }

    private static void unreadable(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-efault"));
        int dev = device.fd();
        Check.errno(Errno.EFAULT, "device 0xBA00 with NULL", () -> ctx.raw().ioctl(dev, 0xBA00, Pointer.NULL));
        Check.errno(Errno.EFAULT, "device 0xBA01 with NULL", () -> ctx.raw().ioctl(dev, 0xBA01, Pointer.NULL));
        Check.errno(Errno.EFAULT, "session 0xBA40 with NULL", () -> ctx.raw().ioctl(s.fd(), 0xBA40, Pointer.NULL));
    }

    private static void wrongEncoding(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-enotty"));
        int dev = device.fd();
        int createSize = ctx.generation() == Generation.A ? 64 : 72;
        long create = ctx.generation() == Generation.A ? LuoAbi.A.CREATE_SESSION : LuoAbi.B.CREATE_SESSION;
        Memory m = ScenarioContext.struct(createSize);
        m.setInt(0, createSize);
        m.setString(8, "enotty", StandardCharsets.US_ASCII.name());
        Check.errno(Errno.ENOTTY, "_IOWR CREATE_SESSION", () -> ctx.raw().ioctl(dev, iowr((int) (create & 0xFF), createSize), m));
        Memory p = ScenarioContext.struct(16);
        p.setInt(0, 16);
        Check.errno(Errno.ENOTTY, "_IOWR PRESERVE_FD", () -> ctx.raw().ioctl(s.fd(), iowr(0x40, 16), p));
    }

    private static void tooSmall(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-small"));
        int dev = device.fd();
        boolean a = ctx.generation() == Generation.A;
        long create = a ? LuoAbi.A.CREATE_SESSION : LuoAbi.B.CREATE_SESSION;
        int createSize = a ? 64 : 72;
        Memory m = ScenarioContext.struct(createSize);
        m.setInt(0, createSize - 1);
        m.setString(8, "small", StandardCharsets.US_ASCII.name());
        Check.errno(Errno.EINVAL, "CREATE_SESSION size " + (createSize - 1), () -> ctx.raw().ioctl(dev, create, m));
        if (a) {
            Memory g = ScenarioContext.struct(8);
            g.setInt(0, 7);
            Check.errno(Errno.EINVAL, "GET_STATE size 7", () -> ctx.raw().ioctl(dev, LuoAbi.A.GET_STATE, g));
        }
        int memfd = ctx.memfd("small", new byte[1]);
        Memory p = ScenarioContext.struct(16);
        p.setInt(0, 15);
        p.setInt(4, memfd);
        p.setLong(8, 9);
        Check.errno(Errno.EINVAL, "PRESERVE_FD size 15", () -> ctx.raw().ioctl(s.fd(), 0xBA40, p));
        p.setInt(0, 0);
        Check.errno(Errno.EINVAL, "PRESERVE_FD size 0", () -> ctx.raw().ioctl(s.fd(), 0xBA40, p));
    }

    private static void nonZeroTail(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-e2big"));
        int dev = device.fd();
        boolean a = ctx.generation() == Generation.A;
        long create = a ? LuoAbi.A.CREATE_SESSION : LuoAbi.B.CREATE_SESSION;
        int createSize = a ? 64 : 72;
        Memory m = ScenarioContext.struct(createSize + 16);
        m.setInt(0, createSize + 16);
        m.setString(8, "e2big", StandardCharsets.US_ASCII.name());
        m.setByte(createSize + 3, (byte) 1);
        Check.errno(Errno.E2BIG, "CREATE_SESSION with a non-zero tail", () -> ctx.raw().ioctl(dev, create, m));
        int memfd = ctx.memfd("e2big", new byte[1]);
        Memory p = ScenarioContext.struct(24);
        p.setInt(0, 24);
        p.setInt(4, memfd);
        p.setLong(8, 9);
        p.setByte(20, (byte) 1);
        Check.errno(Errno.E2BIG, "PRESERVE_FD with a non-zero tail", () -> ctx.raw().ioctl(s.fd(), 0xBA40, p));
        // Nothing happened: the token is still free.
        s.preserve(memfd, 9);
    }

    private static void zeroTail(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("dispatch-zero-tail"));
        int dev = device.fd();
        boolean a = ctx.generation() == Generation.A;
        long create = a ? LuoAbi.A.CREATE_SESSION : LuoAbi.B.CREATE_SESSION;
        int createSize = a ? 64 : 72;
        int user = createSize + 8;
        Memory m = ScenarioContext.struct(user + 16);
        m.setInt(0, user);
        m.setInt(4, -1);
        m.setString(8, "zero-tail", StandardCharsets.US_ASCII.name());
        for (int i = user; i < user + 16; i++) {
            m.setByte(i, (byte) 0xEE);
        }
        ctx.raw().ioctl(dev, create, m);
        int sessionFd = ctx.trackFd(m.getInt(4));
        Check.that(sessionFd >= 0, "CREATE_SESSION returned an fd");
        for (int i = createSize; i < user; i++) {
            Check.equal(m.getByte(i), (byte) 0, "byte " + i + " (beyond the kernel struct, not copied back)");
        }
        for (int i = user; i < user + 16; i++) {
            Check.equal(m.getByte(i), (byte) 0xEE, "byte " + i + " (beyond size)");
        }
        if (a) {
            Memory g = ScenarioContext.struct(32);
            g.setInt(0, 16);
            for (int i = 16; i < 32; i++) {
                g.setByte(i, (byte) 0xEE);
            }
            ctx.raw().ioctl(dev, LuoAbi.A.GET_STATE, g);
            Check.that(LuoState.of(g.getInt(4)) != LuoState.UNDEFINED, "GET_STATE with size 16 answered a state");
            Check.equal(g.getLong(8), 0L, "bytes 8..15 untouched");
            Check.equal(g.getByte(16), (byte) 0xEE, "byte 16 untouched");
        }
        int memfd = ctx.memfd("zero-tail", new byte[1]);
        Memory p = ScenarioContext.struct(24);
        p.setInt(0, 24);
        p.setInt(4, memfd);
        p.setLong(8, 10);
        ctx.raw().ioctl(s.fd(), 0xBA40, p);
        Check.errno(Errno.EEXIST, "the oversized PRESERVE_FD took effect", () -> s.preserve(memfd, 10));
    }
}
