package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.BOTH;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.abi.LuoAbi;
import java.util.List;
import java.util.Map;

/**
 * The generation binding at the interface level: every ioctl the bound implementation sends has
 * the bound generation's exact size, so the two cross-generation hazards cannot be produced:
 * <ul>
 * <li>a B RETRIEVE_SESSION (0xBA01, size 72) with an empty name is SET_EVENT(PREPARE) on A;</li>
 * <li>an A RESTORE_FD (0xBA42, size 16) with token 0 is FINISH on B.</li>
 * </ul>
 */
final class BindingScenarios {
    private BindingScenarios() {}

    /** request -> the exact size the bound generation sends (from docs/luo-kernel-abi.md). */
    static final Map<Long, Long> A_SIZES = Map.of(LuoAbi.A.GET_STATE, 8L, LuoAbi.A.SET_EVENT, 8L,
            LuoAbi.A.CREATE_SESSION, 64L, LuoAbi.A.RETRIEVE_SESSION, 72L, LuoAbi.A.PRESERVE_FD, 16L,
            LuoAbi.A.UNPRESERVE_FD, 16L, LuoAbi.A.RESTORE_FD, 16L, LuoAbi.A.SESSION_GET_STATE, 12L,
            LuoAbi.A.SESSION_SET_EVENT, 8L);
    static final Map<Long, Long> B_SIZES = Map.of(LuoAbi.B.CREATE_SESSION, 72L, LuoAbi.B.RETRIEVE_SESSION, 72L,
            LuoAbi.B.PRESERVE_FD, 16L, LuoAbi.B.RETRIEVE_FD, 16L, LuoAbi.B.FINISH, 8L, LuoAbi.B.GET_NAME, 72L);

    static List<Scenario> all() {
        return List.of(Scenario.of("binding: the interface sends only the bound generation's exact sizes (no hazard)", BOTH,
                BindingScenarios::exactSizes));
    }

    private static void exactSizes(ScenarioContext ctx) {
        int mark = ctx.calls().mark();
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("binding"));
        s.preserve(ctx.memfd("b", Payload.bytes(1, 10)), 0);
        s.name();
        try {
            device.retrieveSession("binding");
        } catch (RuntimeException expected) {
            // EAGAIN (A, not UPDATED) or ENOENT (B): only what was sent matters here
        }
        try {
            s.retrieve(0);
        } catch (RuntimeException expected) {
            // A: EBUSY; B: EINVAL (RETRIEVE_FD is for retrieved sessions only)
        }
        if (ctx.generation() == Generation.A) {
            device.state();
            s.state();
            s.unpreserve(0);
        }
        Map<Long, Long> sizes = ctx.generation() == Generation.A ? A_SIZES : B_SIZES;
        List<RecordingKernelCalls.SentIoctl> sent = ctx.calls().sentSince(mark);
        Check.that(!sent.isEmpty(), "ioctls were recorded");
        for (RecordingKernelCalls.SentIoctl io : sent) {
            boolean probe = io.request() == 0xBA00 && io.size() == 8;
            Long expected = sizes.get(io.request());
            Check.that(probe || (expected != null && expected == io.size()),
                    io + " is not a generation-" + ctx.generation() + " request with its exact size");
            if (ctx.generation() == Generation.A) {
                Check.that(!(io.request() == 0xBA01 && io.size() == 72), io + " would be a B RETRIEVE_SESSION");
            } else {
                Check.that(!(io.request() == 0xBA42 && io.size() == 16), io + " would be an A RESTORE_FD");
            }
        }
    }
}
