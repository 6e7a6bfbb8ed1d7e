package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.ONLY_A;

import com.sun.jna.Memory;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import java.util.List;

/** Generation A rows: the global state machine, its gating of sessions and files, UNPRESERVE, session state. */
final class GenerationAScenarios {
    private GenerationAScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("A: global state machine NORMAL -> PREPARED -> NORMAL, wrong transitions EINVAL", ONLY_A,
                        GenerationAScenarios::stateMachine),
                Scenario.of("A: FREEZE and unknown global events (EOPNOTSUPP)", ONLY_A, GenerationAScenarios::unsupportedEvents),
                Scenario.of("A: CREATE_SESSION while PREPARED (EAGAIN)", ONLY_A, GenerationAScenarios::createWhilePrepared),
                Scenario.of("A: PRESERVE_FD/UNPRESERVE_FD while PREPARED (EBUSY)", ONLY_A, GenerationAScenarios::filesWhilePrepared),
                Scenario.of("A: RETRIEVE_SESSION outside UPDATED (EAGAIN)", ONLY_A, GenerationAScenarios::retrieveOutsideUpdated),
                Scenario.of("A: RESTORE_FD outside UPDATED (EBUSY)", ONLY_A, GenerationAScenarios::restoreOutsideUpdated),
                Scenario.of("A: UNPRESERVE_FD (success, ENOENT unknown token)", ONLY_A, GenerationAScenarios::unpreserve),
                Scenario.of("A: UNPRESERVE_FD with non-zero reserved (EOPNOTSUPP)", ONLY_A, GenerationAScenarios::unpreserveReserved),
                Scenario.of("A: SESSION_GET_STATE and SESSION_SET_EVENT unknown event (EINVAL)", ONLY_A,
                        GenerationAScenarios::sessionState),
                Scenario.of("A: closing the device keeps the global state", ONLY_A, GenerationAScenarios::closeKeepsState));
    }

    private static LuoDevice normalDevice(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        Check.equal(device.state(), LuoState.NORMAL, "state at start");
        return device;
    }

    private static void stateMachine(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        Check.errno(Errno.EINVAL, "FINISH in NORMAL", device::finish);
        Check.errno(Errno.EINVAL, "CANCEL in NORMAL", device::cancel);
        device.prepare();
        Check.equal(device.state(), LuoState.PREPARED, "state after PREPARE");
        Check.errno(Errno.EINVAL, "PREPARE in PREPARED", device::prepare);
        Check.errno(Errno.EINVAL, "FINISH in PREPARED", device::finish);
        device.cancel();
        Check.equal(device.state(), LuoState.NORMAL, "state after CANCEL");
    }

    private static void unsupportedEvents(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        Check.errno(Errno.EOPNOTSUPP, "SET_EVENT(FREEZE)", () -> device.sendEvent(LuoEvent.FREEZE));
        for (int event : new int[] {4, 99, -1}) {
            Memory m = ScenarioContext.struct(8);
            m.setInt(0, 8);
            m.setInt(4, event);
            Check.errno(Errno.EOPNOTSUPP, "SET_EVENT(" + event + ")", () -> ctx.raw().ioctl(device.fd(), LuoAbi.A.SET_EVENT, m));
        }
        Check.equal(device.state(), LuoState.NORMAL, "state unchanged");
    }

    private static void createWhilePrepared(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        device.prepare();
        Check.errno(Errno.EAGAIN, "CREATE_SESSION in PREPARED", () -> device.createSession("too-late"));
        device.cancel();
        ctx.track(device.createSession("too-late"));
    }

    private static void filesWhilePrepared(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        LuoSession s = ctx.track(device.createSession("gated-files"));
        int kept = ctx.memfd("kept", Payload.bytes(1, 10));
        s.preserve(kept, 1);
        device.prepare();
        int late = ctx.memfd("late", Payload.bytes(2, 10));
        Check.errno(Errno.EBUSY, "PRESERVE_FD in PREPARED", () -> s.preserve(late, 2));
        Check.errno(Errno.EBUSY, "UNPRESERVE_FD in PREPARED", () -> s.unpreserve(1));
        device.cancel();
        s.preserve(late, 2);
        s.unpreserve(1);
    }

    private static void retrieveOutsideUpdated(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        Check.errno(Errno.EAGAIN, "RETRIEVE_SESSION in NORMAL", () -> device.retrieveSession("anything"));
        device.prepare();
        Check.errno(Errno.EAGAIN, "RETRIEVE_SESSION in PREPARED", () -> device.retrieveSession("anything"));
        device.cancel();
    }

    private static void restoreOutsideUpdated(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        LuoSession s = ctx.track(device.createSession("restore-gated"));
        s.preserve(ctx.memfd("r", Payload.bytes(1, 10)), 1);
        Check.errno(Errno.EBUSY, "RESTORE_FD in NORMAL", () -> s.retrieve(1));
        Check.errno(Errno.EBUSY, "RESTORE_FD of an unknown token in NORMAL", () -> s.retrieve(2));
    }

    private static void unpreserve(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        LuoSession s = ctx.track(device.createSession("unpreserve"));
        int memfd = ctx.memfd("u", Payload.bytes(1, 10));
        s.preserve(memfd, 5);
        s.unpreserve(5);
        Check.errno(Errno.ENOENT, "UNPRESERVE_FD of a token no longer preserved", () -> s.unpreserve(5));
        Check.errno(Errno.ENOENT, "UNPRESERVE_FD of a never used token", () -> s.unpreserve(6));
        s.preserve(memfd, 5);
    }

    private static void unpreserveReserved(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        LuoSession s = ctx.track(device.createSession("unpreserve-reserved"));
        s.preserve(ctx.memfd("u", Payload.bytes(1, 10)), 5);
        Memory m = ScenarioContext.struct(16);
        m.setInt(0, 16);
        m.setInt(4, 1);
        m.setLong(8, 5);
        Check.errno(Errno.EOPNOTSUPP, "UNPRESERVE_FD reserved=1", () -> ctx.raw().ioctl(s.fd(), LuoAbi.A.UNPRESERVE_FD, m));
        s.unpreserve(5);
    }

    private static void sessionState(ScenarioContext ctx) {
        LuoDevice device = normalDevice(ctx);
        LuoSession s = ctx.track(device.createSession("session-state"));
        Check.equal(s.state(), LuoState.NORMAL, "new session state");
        for (int event : new int[] {4, 99}) {
            Memory m = ScenarioContext.struct(8);
            m.setInt(0, 8);
            m.setInt(4, event);
            Check.errno(Errno.EINVAL, "SESSION_SET_EVENT(" + event + ")",
                    () -> ctx.raw().ioctl(s.fd(), LuoAbi.A.SESSION_SET_EVENT, m));
        }
        Check.equal(s.state(), LuoState.NORMAL, "session state unchanged");
    }

    private static void closeKeepsState(ScenarioContext ctx) throws Exception {
        LuoDevice device = normalDevice(ctx);
        device.prepare();
        ctx.close(device);
        LuoDevice reopened = ctx.openDevice();
        Check.equal(reopened.state(), LuoState.PREPARED, "state after close and reopen");
        reopened.cancel();
    }
}
