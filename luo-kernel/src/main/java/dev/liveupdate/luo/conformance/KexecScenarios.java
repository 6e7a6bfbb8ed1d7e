package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.BOTH;
import static dev.liveupdate.luo.conformance.Scenario.ONLY_A;
import static dev.liveupdate.luo.conformance.Scenario.ONLY_B;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Scenarios across a kexec (the kernel selftests' kexec cases and the documented post-kexec rows). */
final class KexecScenarios {
    private KexecScenarios() {}

    static List<KexecScenario> all() {
        return List.of(new OneSessionOneMemfd(), new SeveralSessions(), new BootChanges(), new RetrieveRules(),
                new DroppedAfterPrepare(), new UpdatedGating(), new FinishRemovesUnreclaimed(), new NameReuse(),
                new LateRetrieve());
    }

    /** Base with a name, generations and a helper to preserve a deterministic memfd. */
    private abstract static class Base implements KexecScenario {
        private final String name;
        private final Set<Generation> generations;

        Base(String name, Set<Generation> generations) {
            this.name = name;
            this.generations = generations;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<Generation> generations() {
            return generations;
        }

        /** Preserves a memfd of {@code length} bytes from {@code seed} at {@code position}; records it as "session.token". */
        static int preserve(ScenarioContext ctx, Handoff handoff, LuoSession session, long token, long seed, int length,
                long position) {
            int fd = ctx.memfd(session.name() + "-" + token, Payload.bytes(seed, length), position);
            session.preserve(fd, token);
            handoff.expectFile(session.name() + "." + token, seed, length, position);
            return fd;
        }

        static void verify(ScenarioContext ctx, Handoff handoff, LuoSession session, long token) {
            int fd = ctx.trackFd(session.retrieve(token));
            ctx.verifyFile(fd, handoff, session.name() + "." + token);
        }

        static LuoSession retrieve(ScenarioContext ctx, LuoDevice device, String name) {
            LuoSession s = ctx.track(device.retrieveSession(name));
            Check.that(s.incoming(), name + " is incoming");
            return s;
        }
    }

    static final class OneSessionOneMemfd extends Base {
        OneSessionOneMemfd() {
            super("kexec: one session with one memfd", BOTH);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = ctx.track(device.createSession("kexec-one"));
            preserve(ctx, handoff, s, 1, 101, (1 << 20) + 17, 4242);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-one");
            verify(ctx, handoff, s, 1);
            return List.of(s);
        }
    }

    static final class SeveralSessions extends Base {
        private static final int SESSIONS = 3;
        private static final int FILES = 3;

        SeveralSessions() {
            super("kexec: several sessions with several memfds (incl. empty, caller fd closed)", BOTH);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            for (int i = 0; i < SESSIONS; i++) {
                LuoSession s = ctx.track(device.createSession("kexec-multi-" + i));
                preserve(ctx, handoff, s, 10L * i, 200 + i, 0, 0);
                preserve(ctx, handoff, s, 10L * i + 1, 300 + i, 1234 + i, 17);
                int fd = preserve(ctx, handoff, s, 10L * i + 2, 400 + i, 300_000 + i, 150_000);
                ctx.closeFd(fd); // the kernel keeps its own reference
            }
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            List<LuoSession> retrieved = new ArrayList<>();
            for (int i = SESSIONS - 1; i >= 0; i--) { // retrieval order need not match creation order
                LuoSession s = retrieve(ctx, device, "kexec-multi-" + i);
                for (int j = 0; j < FILES; j++) {
                    verify(ctx, handoff, s, 10L * i + j);
                }
                retrieved.add(s);
            }
            return retrieved;
        }
    }

    static final class BootChanges extends Base {
        BootChanges() {
            super("kexec: boot ID changes, release is the loaded kernel's", BOTH);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            handoff.put("boot.old_boot_id", ctx.target().hostInfo().bootId());
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            String bootId = ctx.target().hostInfo().bootId();
            Check.that(!bootId.equals(handoff.get("boot.old_boot_id")), "boot ID still " + bootId);
            Check.equal(ctx.target().hostInfo().kernelRelease(), handoff.get("kexec.expected_release"), "release");
            return List.of();
        }
    }

    static final class RetrieveRules extends Base {
        RetrieveRules() {
            super("kexec: retrieve twice, unknown session (ENOENT), unknown token (ENOENT)", BOTH);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-twice")), 7, 404, 5000, 0);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-twice");
            Errno twice = ctx.generation() == Generation.A ? Errno.EADDRINUSE : Errno.EINVAL;
            Check.errno(twice, "RETRIEVE_SESSION of a retrieved session", () -> device.retrieveSession("kexec-twice"));
            Check.errno(Errno.ENOENT, "RETRIEVE_SESSION of a name never handed over",
                    () -> device.retrieveSession("kexec-never-created"));
            Check.errno(Errno.ENOENT, "retrieve of an unknown token", () -> s.retrieve(8));
            verify(ctx, handoff, s, 7);
            if (ctx.generation() == Generation.B) {
                int first = ctx.trackFd(s.retrieve(7));
                int second = ctx.trackFd(s.retrieve(7));
                Check.that(first != second, "a second RETRIEVE_FD gives another fd");
                ctx.calls().lseek(second, 0, KernelCalls.SEEK_SET);
                ctx.calls().write(second, new byte[] {42}, 1);
                byte[] b = new byte[1];
                ctx.calls().pread(first, b, 1, 0);
                Check.equal(b[0], (byte) 42, "both fds refer to the same file");
            }
            return List.of(s);
        }
    }

    static final class DroppedAfterPrepare extends Base {
        DroppedAfterPrepare() {
            super("A: kexec: a session closed after PREPARE is dropped from the hand-over", ONLY_A);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-dropped")), 1, 505, 100, 0);
        }

        @Override
        public void afterPrepare(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            for (LuoSession s : ctx.openSessions()) {
                if (s.name().equals("kexec-dropped")) {
                    ctx.close(s);
                }
            }
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            Check.errno(Errno.ENOENT, "RETRIEVE_SESSION of the dropped session", () -> device.retrieveSession("kexec-dropped"));
            return List.of();
        }
    }

    static final class UpdatedGating extends Base {
        UpdatedGating() {
            super("A: kexec: UPDATED state, its gating, RESTORE_FD only in UPDATED", ONLY_A);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-updated")), 1, 606, 3000, 1500);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            Check.equal(device.state(), LuoState.UPDATED, "global state after the kexec");
            LuoSession s = retrieve(ctx, device, "kexec-updated");
            Check.equal(s.state(), LuoState.UPDATED, "retrieved session state");
            int extra = ctx.memfd("extra", Payload.bytes(1, 10));
            Check.errno(Errno.EBUSY, "PRESERVE_FD into a retrieved (UPDATED) session", () -> s.preserve(extra, 99));
            LuoSession fresh = ctx.track(device.createSession("kexec-updated-new"));
            fresh.preserve(extra, 99);
            Check.errno(Errno.EBUSY, "RESTORE_FD on a session created in UPDATED", () -> fresh.retrieve(99));
            ctx.close(fresh);
            verify(ctx, handoff, s, 1);
            return List.of(s);
        }

        @Override
        public void afterFinish(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            Check.equal(device.state(), LuoState.NORMAL, "global state after FINISH");
            for (LuoSession s : ctx.openSessions()) {
                if (s.name().equals("kexec-updated")) {
                    Check.errno(Errno.EBUSY, "RESTORE_FD after FINISH", () -> s.retrieve(1));
                }
            }
        }
    }

    static final class FinishRemovesUnreclaimed extends Base {
        FinishRemovesUnreclaimed() {
            super("A: kexec: FINISH removes unreclaimed sessions", ONLY_A);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-unclaimed")), 1, 707, 100, 0);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            return List.of(); // deliberately not retrieved
        }

        @Override
        public void afterFinish(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            Check.errno(Errno.EAGAIN, "RETRIEVE_SESSION after FINISH", () -> device.retrieveSession("kexec-unclaimed"));
            ctx.close(ctx.track(device.createSession("kexec-unclaimed")));
        }
    }

    static final class NameReuse extends Base {
        NameReuse() {
            super("B: kexec: a new outgoing session may reuse an incoming name", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-reuse")), 3, 808, 2048, 5);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            LuoSession outgoing = ctx.track(device.createSession("kexec-reuse"));
            LuoSession s = retrieve(ctx, device, "kexec-reuse");
            verify(ctx, handoff, s, 3);
            ctx.close(outgoing);
            return List.of(s);
        }
    }

    static final class LateRetrieve extends Base {
        LateRetrieve() {
            super("B: kexec: an unretrieved session stays retrievable after others FINISH", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-late")), 4, 909, 4096, 4096);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            return List.of();
        }

        @Override
        public void afterFinish(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-late");
            verify(ctx, handoff, s, 4);
            s.finish();
        }
    }
}
