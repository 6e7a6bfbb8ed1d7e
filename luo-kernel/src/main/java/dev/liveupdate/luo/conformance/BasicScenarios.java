package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.BOTH;

import dev.liveupdate.luo.DeviceBusyException;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.sys.Errno;
import java.util.List;

/**
 * The kernel selftest scenarios (tools/testing/selftests/liveupdate) and the session basics,
 * through the LuoDevice/LuoSession interface on either generation.
 */
final class BasicScenarios {
    private BasicScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("basic open/close", BOTH, BasicScenarios::openClose),
                Scenario.of("exclusive open in one process (EBUSY)", BOTH, BasicScenarios::exclusiveSameProcess),
                Scenario.of("exclusive open from two processes (EBUSY)", BOTH, BasicScenarios::exclusiveTwoProcesses),
                Scenario.of("duplicate session (EEXIST)", BOTH, BasicScenarios::duplicateSession),
                Scenario.of("distinct sessions", BOTH, BasicScenarios::distinctSessions),
                Scenario.of("preserve a memfd", BOTH, BasicScenarios::preserveMemfd),
                Scenario.of("preserve several memfds", BOTH, BasicScenarios::preserveSeveral),
                Scenario.of("two sessions with empty and data memfds", BOTH, BasicScenarios::emptyAndData),
                Scenario.of("preserve an unsupported fd (ENOENT)", BOTH, BasicScenarios::unsupportedFd),
                Scenario.of("preserve a bad fd (EBADF)", BOTH, BasicScenarios::badFd),
                Scenario.of("preserve a used token (EEXIST)", BOTH, BasicScenarios::usedToken),
                Scenario.of("same token in two sessions", BOTH, BasicScenarios::sameTokenTwoSessions),
                Scenario.of("closing the device keeps sessions", BOTH, BasicScenarios::closeDeviceKeepsSessions),
                Scenario.of("closing a session destroys it", BOTH, BasicScenarios::closeSessionDestroys),
                Scenario.of("session names: generation limits, checked before the kernel", BOTH, BasicScenarios::nameLimits),
                Scenario.of("retrieve a session that was not handed over", BOTH, BasicScenarios::retrieveUnknown));
    }

    private static void openClose(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        Check.equal(device.generation(), ctx.generation(), "generation");
        Check.that(device.fd() >= 0, "device fd");
        ctx.close(device);
        LuoDevice again = ctx.openDevice();
        Check.equal(again.generation(), ctx.generation(), "generation after reopen");
        ctx.close(again);
    }

    private static void exclusiveSameProcess(ScenarioContext ctx) throws Exception {
        ctx.openDevice();
        DeviceBusyException busy = Check.throwsA(DeviceBusyException.class, "second open", ctx::openDevice);
        Check.that(busy.is(Errno.EBUSY), "errno EBUSY");
        String self = "pid " + ProcessHandle.current().pid() + " ";
        Check.that(busy.holders().stream().anyMatch(h -> h.startsWith(self)),
                "holders " + busy.holders() + " name this process");
    }

    private static void exclusiveTwoProcesses(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        String busy = ctx.runChild(OpenProbeMain.class);
        Check.that(busy.endsWith("EBUSY"), "child open while we hold the device: " + busy);
        ctx.close(device);
        String free = ctx.runChild(OpenProbeMain.class);
        Check.that(free.endsWith("OPENED " + ctx.generation()), "child open after we closed: " + free);
    }

    private static void duplicateSession(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        ctx.track(device.createSession("dup-session"));
        Check.errno(Errno.EEXIST, "second CREATE_SESSION with the same name", () -> device.createSession("dup-session"));
    }

    private static void distinctSessions(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession a = ctx.track(device.createSession("distinct-a"));
        LuoSession b = ctx.track(device.createSession("distinct-b"));
        Check.that(a.fd() != b.fd() && a.fd() >= 0 && b.fd() >= 0, "two different session fds");
        Check.equal(a.name(), "distinct-a", "name of a");
        Check.equal(b.name(), "distinct-b", "name of b");
        Check.that(!a.incoming() && !b.incoming(), "created sessions are outgoing");
    }

    private static void preserveMemfd(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("preserve-one"));
        s.preserve(ctx.memfd("one", Payload.bytes(1, 4096)), 0x1000);
    }

    private static void preserveSeveral(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("preserve-several"));
        for (int i = 0; i < 8; i++) {
            s.preserve(ctx.memfd("several-" + i, Payload.bytes(i, 1000 + i)), 100 + i);
        }
    }

    private static void emptyAndData(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession empty = ctx.track(device.createSession("with-empty-memfd"));
        LuoSession data = ctx.track(device.createSession("with-data-memfd"));
        empty.preserve(ctx.memfd("empty", new byte[0]), 1);
        data.preserve(ctx.memfd("data", Payload.bytes(7, 65536)), 1);
    }

    private static void unsupportedFd(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("unsupported-fd"));
        int devNull = ctx.trackFd(ctx.calls().open("/dev/null", 0));
        Check.errno(Errno.ENOENT, "PRESERVE_FD(/dev/null)", () -> s.preserve(devNull, 1));
        Check.errno(Errno.ENOENT, "PRESERVE_FD(a session fd)", () -> s.preserve(s.fd(), 2));
    }

    private static void badFd(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("bad-fd"));
        Check.errno(Errno.EBADF, "PRESERVE_FD(-1)", () -> s.preserve(-1, 1));
        Check.errno(Errno.EBADF, "PRESERVE_FD(2^30)", () -> s.preserve(1 << 30, 1));
    }

    private static void usedToken(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("used-token"));
        s.preserve(ctx.memfd("first", Payload.bytes(1, 10)), 77);
        int second = ctx.memfd("second", Payload.bytes(2, 10));
        Check.errno(Errno.EEXIST, "PRESERVE_FD with a used token", () -> s.preserve(second, 77));
        s.preserve(second, 78);
    }

    private static void sameTokenTwoSessions(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession a = ctx.track(device.createSession("token-scope-a"));
        LuoSession b = ctx.track(device.createSession("token-scope-b"));
        a.preserve(ctx.memfd("a", Payload.bytes(1, 10)), 5);
        b.preserve(ctx.memfd("b", Payload.bytes(2, 10)), 5);
    }

    private static void closeDeviceKeepsSessions(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("outlives-device"));
        s.preserve(ctx.memfd("before-close", Payload.bytes(3, 100)), 1);
        ctx.close(device);
        s.preserve(ctx.memfd("after-close", Payload.bytes(4, 100)), 2);
        LuoDevice reopened = ctx.openDevice();
        Check.errno(Errno.EEXIST, "the session still exists after the device was closed",
                () -> reopened.createSession("outlives-device"));
    }

    private static void closeSessionDestroys(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession s = device.createSession("closed-session");
        s.preserve(ctx.memfd("in-closed", Payload.bytes(5, 100)), 1);
        s.close();
        ctx.track(device.createSession("closed-session"));
    }

    private static void nameLimits(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        int max = ctx.generation().maxSessionNameBytes();
        String longest = "n".repeat(max);
        ctx.track(device.createSession(longest));
        int mark = ctx.calls().mark();
        Check.throwsA(IllegalArgumentException.class, "a name of " + (max + 1) + " bytes",
                () -> device.createSession("n".repeat(max + 1)));
        Check.throwsA(IllegalArgumentException.class, "an empty name", () -> device.createSession(""));
        Check.throwsA(IllegalArgumentException.class, "retrieve with an empty name", () -> device.retrieveSession(""));
        Check.equal(ctx.calls().sentSince(mark), List.of(), "ioctls sent for rejected names");
    }

    private static void retrieveUnknown(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        if (ctx.generation() == Generation.A && device.state() == dev.liveupdate.luo.LuoState.UPDATED) {
            Check.errno(Errno.ENOENT, "RETRIEVE_SESSION of an unknown name", () -> device.retrieveSession("never-created"));
        } else if (ctx.generation() == Generation.A) {
            // A retrieves only in UPDATED; a device in NORMAL says EAGAIN before looking.
            Check.errno(Errno.EAGAIN, "RETRIEVE_SESSION in NORMAL", () -> device.retrieveSession("never-created"));
        } else {
            Check.errno(Errno.ENOENT, "RETRIEVE_SESSION of an unknown name", () -> device.retrieveSession("never-created"));
        }
    }
}
