package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.BOTH;
import static dev.liveupdate.luo.conformance.Scenario.ONLY_A;
import static dev.liveupdate.luo.conformance.Scenario.ONLY_B;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import com.sun.jna.Memory;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sim.FileFacts;
import dev.liveupdate.luo.sim.LuoRevision;
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
                new LateRetrieve(), new Seals(), new ChangesAfterPreserve(), new IncomingSessionRules(),
                new RegisteredUntilFinish(), new UnlinkedTmpfsFile(), new BeyondOldLimits());
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

    static final class Seals extends Base {
        Seals() {
            super("B: kexec: seals set before PRESERVE_FD survive (later ones, FD_CLOEXEC off and the name do not);"
                    + " the file can be resized again before FINISH", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = ctx.track(device.createSession("kexec-seals"));
            int fd = ctx.trackFd(ctx.calls().memfdCreate("kexec-seals-named", KernelCalls.MFD_ALLOW_SEALING));
            byte[] content = Payload.bytes(1001, 8192);
            ctx.calls().write(fd, content, content.length);
            FileFacts.addSeals(fd, FileFacts.F_SEAL_SHRINK);
            s.preserve(fd, 1);
            handoff.expectFile("kexec-seals.1", 1001, 8192, 8192);
            FileFacts.addSeals(fd, FileFacts.F_SEAL_GROW); // after PRESERVE_FD: not part of the hand-over
            handoff.put("kexec-seals.1.seals", Integer.toString(FileFacts.F_SEAL_SHRINK));
            // A memfd created without MFD_ALLOW_SEALING carries F_SEAL_SEAL.
            int sealed = ctx.memfd("kexec-seals-sealed", Payload.bytes(1002, 100), 0);
            s.preserve(sealed, 2);
            handoff.expectFile("kexec-seals.2", 1002, 100, 0);
            handoff.put("kexec-seals.2.seals", Integer.toString(FileFacts.seals(sealed)));
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-seals");
            int fd = ctx.trackFd(s.retrieve(1));
            ctx.verifyFile(fd, handoff, "kexec-seals.1");
            Check.equal(FileFacts.seals(fd), Integer.parseInt(handoff.get("kexec-seals.1.seals")), "seals of token 1");
            Check.equal(FileFacts.fdFlags(fd) & FileFacts.FD_CLOEXEC, FileFacts.FD_CLOEXEC, "retrieved fd FD_CLOEXEC");
            String target = ctx.calls().fdTarget(fd);
            Check.that(!target.contains("kexec-seals-named"), "the memfd name is not carried over: " + target);
            Check.that(FileFacts.onShmem(fd) && FileFacts.inode(fd).nlink() == 0, "the retrieved file is a memfd");
            ctx.calls().ftruncate(fd, 16384); // not frozen any more, and F_SEAL_GROW was not carried
            Check.equal(ctx.size(fd), 16384L, "size after growing");
            Check.errno(Errno.EPERM, "shrinking (F_SEAL_SHRINK)", () -> ctx.calls().ftruncate(fd, 100));
            int sealed = ctx.trackFd(s.retrieve(2));
            ctx.verifyFile(sealed, handoff, "kexec-seals.2");
            Check.equal(FileFacts.seals(sealed), Integer.parseInt(handoff.get("kexec-seals.2.seals")), "seals of token 2");
            return List.of(s);
        }
    }

    static final class ChangesAfterPreserve extends Base {
        ChangesAfterPreserve() {
            super("B: kexec: writes inside the file and the file position after PRESERVE_FD are carried over", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = ctx.track(device.createSession("kexec-changed"));
            int fd = ctx.memfd("kexec-changed", Payload.bytes(1101, 20_000), 0);
            s.preserve(fd, 1);
            byte[] patch = Payload.bytes(1102, 3000);
            ctx.calls().lseek(fd, 5000, KernelCalls.SEEK_SET);
            Check.equal(ctx.calls().write(fd, patch, patch.length), patch.length, "write inside after PRESERVE_FD");
            ctx.calls().lseek(fd, 12_345, KernelCalls.SEEK_SET);
            handoff.put("kexec-changed.sha256", Payload.sha256(changed()));
        }

        static byte[] changed() {
            byte[] expected = Payload.bytes(1101, 20_000);
            System.arraycopy(Payload.bytes(1102, 3000), 0, expected, 5000, 3000);
            return expected;
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-changed");
            int fd = ctx.trackFd(s.retrieve(1));
            byte[] actual = ctx.contents(fd);
            Check.that(java.util.Arrays.equals(actual, changed()), "content includes the write made after PRESERVE_FD");
            Check.equal(Payload.sha256(actual), handoff.get("kexec-changed.sha256"), "sha256");
            Check.equal(ctx.position(fd), 12_345L, "file position set after PRESERVE_FD");
            return List.of(s);
        }
    }

    static final class IncomingSessionRules extends Base {
        IncomingSessionRules() {
            super("B: kexec: on a retrieved session PRESERVE_FD is EINVAL (before E2BIG), FINISH checks reserved,"
                    + " GET_NAME works, a second FINISH returns 0, RETRIEVE_FD after FINISH is ENOENT", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-incoming")), 1, 1201, 777, 7);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-incoming");
            int memfd = ctx.memfd("kexec-incoming-new", Payload.bytes(1202, 10));
            Check.errno(Errno.EINVAL, "PRESERVE_FD into a retrieved session", () -> s.preserve(memfd, 5));
            Memory p = GenerationBScenarios.raw(24, 24);
            p.setInt(4, memfd);
            p.setLong(8, 5);
            p.setByte(20, (byte) 1);
            Check.errno(Errno.EINVAL, "PRESERVE_FD with a non-zero tail into a retrieved session",
                    () -> ctx.raw().ioctl(s.fd(), LuoAbi.B.PRESERVE_FD, p));
            Memory f = GenerationBScenarios.raw(8, 8);
            f.setInt(4, 1);
            Check.errno(Errno.EINVAL, "FINISH with reserved = 1", () -> ctx.raw().ioctl(s.fd(), LuoAbi.B.FINISH, f));
            Check.equal(s.name(), "kexec-incoming", "GET_NAME of a retrieved session");
            verify(ctx, handoff, s, 1);
            s.finish();
            s.finish();
            Check.errno(Errno.ENOENT, "RETRIEVE_FD after FINISH", () -> s.retrieve(1));
            Check.equal(s.name(), "kexec-incoming", "GET_NAME after FINISH");
            return List.of(s);
        }
    }

    static final class RegisteredUntilFinish extends Base {
        RegisteredUntilFinish() {
            super("B: kexec: a retrieved file cannot be preserved again before FINISH (EBUSY), after FINISH it can", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            preserve(ctx, handoff, ctx.track(device.createSession("kexec-again")), 1, 1301, 4096, 0);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-again");
            int fd = ctx.trackFd(s.retrieve(1));
            ctx.verifyFile(fd, handoff, "kexec-again.1");
            LuoSession next = ctx.track(device.createSession("kexec-again-next"));
            Check.errno(Errno.EBUSY, "PRESERVE_FD of a retrieved, unfinished file", () -> next.preserve(fd, 1));
            s.finish();
            next.preserve(fd, 1);
            Check.errno(Errno.EPERM, "the re-preserved file's size is frozen", () -> ctx.calls().ftruncate(fd, 1));
            return List.of(s);
        }
    }

    static final class UnlinkedTmpfsFile extends Base {
        UnlinkedTmpfsFile() {
            super("B: kexec: an unlinked tmpfs file is handed over and comes back as a memfd with F_SEAL_SEAL", ONLY_B);
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            LuoSession s = ctx.track(device.createSession("kexec-tmpfs"));
            java.nio.file.Path file = GenerationBScenarios.tmpfsFile(ctx, "luo-conformance-kexec", Payload.bytes(1401, 6000));
            int fd = ctx.trackFd(ctx.calls().open(file.toString(), KernelCalls.O_RDWR | KernelCalls.O_CLOEXEC));
            java.nio.file.Files.delete(file);
            ctx.calls().lseek(fd, 600, KernelCalls.SEEK_SET);
            s.preserve(fd, 1);
            handoff.expectFile("kexec-tmpfs.1", 1401, 6000, 600);
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            LuoSession s = retrieve(ctx, device, "kexec-tmpfs");
            int fd = ctx.trackFd(s.retrieve(1));
            ctx.verifyFile(fd, handoff, "kexec-tmpfs.1");
            Check.equal(FileFacts.seals(fd), FileFacts.F_SEAL_SEAL, "seals (a tmpfs file is sealed against sealing)");
            return List.of(s);
        }
    }

    static final class BeyondOldLimits extends Base {
        /** 7.x: more than 6.19 allowed; on a 6.19 kernel exactly its limits. */
        private static final int SESSIONS_7X = 900;
        private static final int FILES_7X = 200;

        BeyondOldLimits() {
            super("B: kexec: as many sessions and files as the release allows beyond 6.19's limits survive"
                    + " (7.x: 900 sessions, 200 files in one session)", ONLY_B);
        }

        private static int sessions(ScenarioContext ctx) {
            return GenerationBScenarios.revision(ctx) == LuoRevision.V6_19 ? 700 : SESSIONS_7X;
        }

        private static int files(ScenarioContext ctx) {
            return GenerationBScenarios.revision(ctx) == LuoRevision.V6_19 ? LuoAbi.B.MAX_FILES_PER_SESSION : FILES_7X;
        }

        @Override
        public void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) {
            int sessions = sessions(ctx);
            int files = files(ctx);
            handoff.put("kexec-many.sessions", Integer.toString(sessions));
            handoff.put("kexec-many.files", Integer.toString(files));
            LuoSession big = ctx.track(device.createSession("kexec-many-files"));
            for (int i = 0; i < files; i++) {
                int fd = ctx.memfd("many", Payload.bytes(2000 + i, 64), i % 64);
                big.preserve(fd, i);
                ctx.closeFd(fd);
            }
            for (int i = 1; i < sessions; i++) {
                LuoSession s = ctx.track(device.createSession("kexec-many-" + i));
                if (i % 100 == 0) {
                    int fd = ctx.memfd("many-s", Payload.bytes(3000 + i, 64), 0);
                    s.preserve(fd, i);
                    ctx.closeFd(fd);
                }
            }
        }

        @Override
        public List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {
            int sessions = Integer.parseInt(handoff.get("kexec-many.sessions"));
            int files = Integer.parseInt(handoff.get("kexec-many.files"));
            List<LuoSession> done = new ArrayList<>();
            LuoSession big = retrieve(ctx, device, "kexec-many-files");
            for (int i = 0; i < files; i++) {
                int fd = big.retrieve(i);
                try {
                    Check.that(java.util.Arrays.equals(ctx.contents(fd), Payload.bytes(2000 + i, 64)), "file " + i + " content");
                    Check.equal(ctx.position(fd), (long) (i % 64), "file " + i + " position");
                } finally {
                    ctx.calls().close(fd);
                }
            }
            done.add(big);
            for (int i = 1; i < sessions; i++) {
                LuoSession s = device.retrieveSession("kexec-many-" + i);
                try {
                    if (i % 100 == 0) {
                        int fd = s.retrieve(i);
                        try {
                            Check.that(java.util.Arrays.equals(ctx.contents(fd), Payload.bytes(3000 + i, 64)), "session " + i + " content");
                        } finally {
                            ctx.calls().close(fd);
                        }
                    }
                } finally {
                    ctx.close(s); // closing a retrieved session finishes it
                }
            }
            return done;
        }
    }
}
