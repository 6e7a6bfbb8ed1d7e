package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.ONLY_B;

import dev.liveupdate.luo.GenerationUnsupportedException;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import java.util.ArrayList;
import java.util.List;

/** Generation B rows: limits, GET_NAME, and what B does not have. */
final class GenerationBScenarios {
    private GenerationBScenarios() {}

    /** Upper bound for the session-limit search on kernels whose limit differs from 6.19's 819. */
    private static final int SESSION_SEARCH_LIMIT = 4096;

    static List<Scenario> all() {
        return List.of(
                Scenario.of("B: 128 files per session, the 129th ENOSPC", ONLY_B, GenerationBScenarios::filesPerSession),
                Scenario.of("B: session count limit (ENOMEM)", ONLY_B, GenerationBScenarios::sessionLimit),
                Scenario.of("B: GET_NAME returns the session name", ONLY_B, GenerationBScenarios::getName),
                Scenario.of("B: no global state, UNPRESERVE or session events (nothing sent)", ONLY_B,
                        GenerationBScenarios::unsupported));
    }

    private static void filesPerSession(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("full-session"));
        for (int i = 0; i < LuoAbi.B.MAX_FILES_PER_SESSION; i++) {
            s.preserve(ctx.memfd("many-" + i, new byte[0]), i);
        }
        int extra = ctx.memfd("one-too-many", new byte[0]);
        Check.errno(Errno.ENOSPC, "file 129", () -> s.preserve(extra, 1000));
        ctx.track(device.createSession("another-session")).preserve(extra, 1000);
    }

    private static void sessionLimit(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        List<LuoSession> created = new ArrayList<>();
        try {
            for (int i = 0; i <= SESSION_SEARCH_LIMIT; i++) {
                String name = "limit-" + i;
                try {
                    created.add(device.createSession(name));
                } catch (dev.liveupdate.luo.LuoException e) {
                    Check.that(e.is(Errno.ENOMEM), "session " + (i + 1) + " failed with " + e.errnoName() + ", expected ENOMEM");
                    Check.that(i > 0, "no session could be created");
                    System.out.println("# session limit of " + ctx.target().description() + " is " + i);
                    return;
                }
            }
            throw new ScenarioFailure("no ENOMEM after " + SESSION_SEARCH_LIMIT + " sessions");
        } finally {
            created.forEach(LuoSession::close);
        }
    }

    private static void getName(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        String name = "name-" + "x".repeat(58);
        LuoSession s = ctx.track(device.createSession(name));
        Check.equal(s.name(), name, "GET_NAME of a 63-byte name");
    }

    private static void unsupported(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("b-unsupported"));
        s.preserve(ctx.memfd("u", Payload.bytes(1, 10)), 1);
        int mark = ctx.calls().mark();
        Check.throwsA(GenerationUnsupportedException.class, "state()", device::state);
        Check.throwsA(GenerationUnsupportedException.class, "prepare()", device::prepare);
        Check.throwsA(GenerationUnsupportedException.class, "cancel()", device::cancel);
        Check.throwsA(GenerationUnsupportedException.class, "finish()", device::finish);
        Check.throwsA(GenerationUnsupportedException.class, "sendEvent()", () -> device.sendEvent(LuoEvent.PREPARE));
        Check.throwsA(GenerationUnsupportedException.class, "unpreserve()", () -> s.unpreserve(1));
        Check.throwsA(GenerationUnsupportedException.class, "session state()", s::state);
        Check.throwsA(GenerationUnsupportedException.class, "session sendEvent()", () -> s.sendEvent(LuoEvent.FINISH));
        Check.equal(ctx.calls().sentSince(mark), List.of(), "ioctls sent");
    }
}
