package dev.liveupdate.luo.conformance;

import static dev.liveupdate.luo.conformance.Scenario.ONLY_B;

import com.sun.jna.Memory;
import dev.liveupdate.luo.GenerationUnsupportedException;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sim.FileFacts;
import dev.liveupdate.luo.sim.LuoRevision;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.KernelCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generation B rows: limits (per release), GET_NAME, what B does not have, and the 7.2 rules the
 * ABI document did not have (found on the real kernel under QEMU, docs/real-kernel.md): direction
 * checks before size, reserved fields, name checks, one session per file, the frozen size of a
 * preserved memfd, FD_CLOEXEC, and which files are preservable.
 */
final class GenerationBScenarios {
    private GenerationBScenarios() {}

    /** 7.x: how many files in one session / sessions the scenarios show are accepted (more than 6.19's 128 / 819). */
    static final int FILES_7X = 1000;
    static final int SESSIONS_7X = 3000;

    static List<Scenario> all() {
        return List.of(
                Scenario.of("B: files per session (6.19: 128 then ENOSPC; 7.x: no small limit, 1000 accepted)", ONLY_B,
                        GenerationBScenarios::filesPerSession),
                Scenario.of("B: session count (6.19: 819 then ENOMEM; 7.x: no small limit, 3000 accepted)", ONLY_B,
                        GenerationBScenarios::sessionLimit),
                Scenario.of("B: GET_NAME returns the session name", ONLY_B, GenerationBScenarios::getName),
                Scenario.of("B: no global state, UNPRESERVE or session events (nothing sent)", ONLY_B,
                        GenerationBScenarios::unsupported),
                Scenario.of("B: session ioctls check the direction before the size (outgoing: RETRIEVE_FD, FINISH EINVAL)",
                        ONLY_B, GenerationBScenarios::directionFirst),
                Scenario.of("B: session nr outside 0x40..0x43 (EINVAL)", ONLY_B, GenerationBScenarios::sessionNrOutside),
                Scenario.of("B: GET_NAME with a non-zero reserved field (EINVAL)", ONLY_B, GenerationBScenarios::getNameReserved),
                Scenario.of("B: raw names: CREATE empty or unterminated EINVAL, RETRIEVE empty or unterminated ENOENT",
                        ONLY_B, GenerationBScenarios::rawNames),
                Scenario.of("B: a file is preserved once (other token, other session, a dup: EBUSY) until its session closes",
                        ONLY_B, GenerationBScenarios::oneSessionPerFile),
                Scenario.of("B: a preserved memfd's size is frozen until the kexec (EPERM); writes inside work", ONLY_B,
                        GenerationBScenarios::frozenSize),
                Scenario.of("B: session and device fds have FD_CLOEXEC", ONLY_B, GenerationBScenarios::cloexec),
                Scenario.of("B: preservable = shmem file without links (linked tmpfs file ENOENT, unlinked accepted)",
                        ONLY_B, GenerationBScenarios::shmemWithoutLinks));
    }

    /** The release the target kernel behaves like, from its {@code uname -r}. */
    static LuoRevision revision(ScenarioContext ctx) {
        return LuoRevision.forRelease(ctx.target().hostInfo().kernelRelease());
    }

    private static void filesPerSession(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("full-session"));
        boolean v619 = revision(ctx) == LuoRevision.V6_19;
        int count = v619 ? LuoAbi.B.MAX_FILES_PER_SESSION : FILES_7X;
        for (int i = 0; i < count; i++) {
            int fd = ctx.memfd("many-" + i, new byte[0]);
            s.preserve(fd, i);
            ctx.closeFd(fd); // the kernel keeps its own reference
        }
        int extra = ctx.memfd("one-more", new byte[0]);
        if (v619) {
            Check.errno(Errno.ENOSPC, "file 129", () -> s.preserve(extra, 1000));
            ctx.track(device.createSession("another-session")).preserve(extra, 1000);
        } else {
            s.preserve(extra, count);
        }
    }

    private static void sessionLimit(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        boolean v619 = revision(ctx) == LuoRevision.V6_19;
        int count = v619 ? LuoAbi.B.MAX_SESSIONS_6_19 : SESSIONS_7X;
        List<LuoSession> created = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                created.add(device.createSession("limit-" + i));
            }
            if (v619) {
                Check.errno(Errno.ENOMEM, "session " + (count + 1), () -> device.createSession("limit-" + count));
            }
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

    /** A raw B session struct of {@code size} bytes in a buffer of {@code buffer} bytes. */
    static Memory raw(int buffer, int size) {
        Memory m = ScenarioContext.struct(buffer);
        m.setInt(0, size);
        return m;
    }

    private static void directionFirst(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("direction-outgoing"));
        s.preserve(ctx.memfd("d", Payload.bytes(2, 100)), 1);
        int fd = s.fd();
        Memory r = raw(16, 16);
        r.setLong(8, 1);
        Check.errno(Errno.EINVAL, "RETRIEVE_FD on an outgoing session", () -> ctx.raw().ioctl(fd, LuoAbi.B.RETRIEVE_FD, r));
        Memory bigTail = raw(24, 24);
        bigTail.setLong(8, 1);
        bigTail.setByte(20, (byte) 1);
        Check.errno(Errno.EINVAL, "RETRIEVE_FD with a non-zero tail on an outgoing session (direction before E2BIG)",
                () -> ctx.raw().ioctl(fd, LuoAbi.B.RETRIEVE_FD, bigTail));
        Memory f = raw(8, 8);
        Check.errno(Errno.EINVAL, "FINISH on an outgoing session", () -> ctx.raw().ioctl(fd, LuoAbi.B.FINISH, f));
        Memory fTail = raw(16, 16);
        fTail.setByte(12, (byte) 1);
        Check.errno(Errno.EINVAL, "FINISH with a non-zero tail on an outgoing session (direction before E2BIG)",
                () -> ctx.raw().ioctl(fd, LuoAbi.B.FINISH, fTail));
        Check.errno(Errno.EINVAL, "retrieve() through the interface", () -> s.retrieve(1));
        Check.errno(Errno.EINVAL, "finish() through the interface", s::finish);
        Check.equal(s.name(), "direction-outgoing", "GET_NAME applies to outgoing sessions");
        s.preserve(ctx.memfd("d2", Payload.bytes(3, 100)), 2); // and the session is unharmed
    }

    private static void sessionNrOutside(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("nr-outside"));
        for (long request : new long[] {0xBA44, 0xBA45, 0xBA7F, 0xBAFF, 0xBA00, 0xBA01}) {
            Memory m = raw(72, 72);
            Check.errno(Errno.EINVAL, String.format("session ioctl 0x%X", request), () -> ctx.raw().ioctl(s.fd(), request, m));
        }
    }

    private static void getNameReserved(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("reserved-name"));
        Memory m = raw(72, 72);
        m.setInt(4, 1);
        Check.errno(Errno.EINVAL, "GET_NAME with reserved = 1", () -> ctx.raw().ioctl(s.fd(), LuoAbi.B.GET_NAME, m));
        Memory ok = raw(72, 72);
        ctx.raw().ioctl(s.fd(), LuoAbi.B.GET_NAME, ok);
        Check.equal(ok.getString(8), "reserved-name", "GET_NAME with reserved = 0");
    }

    private static void rawNames(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        int dev = device.fd();
        Memory empty = raw(72, 72);
        empty.setInt(4, -1);
        Check.errno(Errno.EINVAL, "CREATE_SESSION with an empty name", () -> ctx.raw().ioctl(dev, LuoAbi.B.CREATE_SESSION, empty));
        Memory full = raw(72, 72);
        for (int i = 8; i < 72; i++) {
            full.setByte(i, (byte) 'u');
        }
        Check.errno(Errno.EINVAL, "CREATE_SESSION with 64 name bytes and no NUL",
                () -> ctx.raw().ioctl(dev, LuoAbi.B.CREATE_SESSION, full));
        Memory longest = raw(72, 72);
        for (int i = 8; i < 71; i++) {
            longest.setByte(i, (byte) 'u');
        }
        ctx.raw().ioctl(dev, LuoAbi.B.CREATE_SESSION, longest);
        ctx.trackFd(longest.getInt(4));
        Memory retrieveEmpty = raw(72, 72);
        Check.errno(Errno.ENOENT, "RETRIEVE_SESSION with an empty name",
                () -> ctx.raw().ioctl(dev, LuoAbi.B.RETRIEVE_SESSION, retrieveEmpty));
        Memory retrieveFull = raw(72, 72);
        for (int i = 8; i < 72; i++) {
            retrieveFull.setByte(i, (byte) 'u');
        }
        Check.errno(Errno.ENOENT, "RETRIEVE_SESSION with 64 name bytes and no NUL",
                () -> ctx.raw().ioctl(dev, LuoAbi.B.RETRIEVE_SESSION, retrieveFull));
    }

    private static void oneSessionPerFile(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession first = ctx.track(device.createSession("once-a"));
        LuoSession second = ctx.track(device.createSession("once-b"));
        int fd = ctx.memfd("once", Payload.bytes(4, 3000));
        first.preserve(fd, 1);
        Check.errno(Errno.EEXIST, "same token again (the token is checked before the file)", () -> first.preserve(fd, 1));
        Check.errno(Errno.EBUSY, "the same file under another token", () -> first.preserve(fd, 2));
        Check.errno(Errno.EBUSY, "the same file in another session", () -> second.preserve(fd, 1));
        int dup = ctx.trackFd(ctx.calls().dup(fd));
        Check.errno(Errno.EBUSY, "a dup of the file", () -> second.preserve(dup, 1));
        ctx.close(first); // destroys the session and unpreserves its files
        second.preserve(fd, 1);
    }

    private static void frozenSize(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("frozen-size"));
        KernelCalls calls = ctx.calls();
        byte[] content = Payload.bytes(5, 10_000);
        int fd = ctx.memfd("frozen", content, 0);
        s.preserve(fd, 1);
        Check.errno(Errno.EPERM, "ftruncate to a larger size", () -> calls.ftruncate(fd, 20_000));
        Check.errno(Errno.EPERM, "ftruncate to a smaller size", () -> calls.ftruncate(fd, 100));
        calls.ftruncate(fd, 10_000); // the same size is no change
        calls.lseek(fd, 10_000, KernelCalls.SEEK_SET);
        Check.errno(Errno.EPERM, "write at the end of file", () -> calls.write(fd, new byte[1], 1));
        calls.lseek(fd, 9_000, KernelCalls.SEEK_SET);
        Check.errno(Errno.EPERM, "write from the last page across the end", () -> calls.write(fd, new byte[2000], 2000));
        // A write from an earlier page across the end stops at the page holding the end of file.
        byte[] patch = Payload.bytes(6, 12_000);
        calls.lseek(fd, 100, KernelCalls.SEEK_SET);
        int written = calls.write(fd, patch, patch.length);
        Check.equal(written, 8192 - 100, "bytes written by a write across the end (up to the last page boundary)");
        byte[] inside = Payload.bytes(7, 5000);
        calls.lseek(fd, 0, KernelCalls.SEEK_SET);
        Check.equal(calls.write(fd, inside, inside.length), inside.length, "a write inside the file");
        byte[] expected = content.clone();
        System.arraycopy(patch, 0, expected, 100, 8192 - 100);
        System.arraycopy(inside, 0, expected, 0, inside.length);
        Check.that(Arrays.equals(ctx.contents(fd), expected), "content after the writes");
        Check.equal(ctx.size(fd), 10_000L, "size");
        ctx.close(s); // unpreserved: the size may change again
        calls.ftruncate(fd, 20_000);
        Check.equal(ctx.size(fd), 20_000L, "size after the session was closed");
    }

    private static void cloexec(ScenarioContext ctx) {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("cloexec"));
        Check.equal(FileFacts.fdFlags(s.fd()) & FileFacts.FD_CLOEXEC, FileFacts.FD_CLOEXEC, "session fd FD_CLOEXEC");
        Check.equal(FileFacts.fdFlags(device.fd()) & FileFacts.FD_CLOEXEC, FileFacts.FD_CLOEXEC, "device fd FD_CLOEXEC");
    }

    private static void shmemWithoutLinks(ScenarioContext ctx) throws Exception {
        LuoDevice device = ctx.openDevice();
        LuoSession s = ctx.track(device.createSession("shmem-files"));
        Path file = tmpfsFile(ctx, "luo-conformance-linked", Payload.bytes(8, 5000));
        try {
            int fd = ctx.trackFd(ctx.calls().open(file.toString(), KernelCalls.O_RDWR | KernelCalls.O_CLOEXEC));
            Check.errno(Errno.ENOENT, "PRESERVE_FD of a tmpfs file with a link (" + file + ")", () -> s.preserve(fd, 1));
            Files.delete(file);
            s.preserve(fd, 1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A new file with {@code content} in a tmpfs directory of the target (java.io.tmpdir, /dev/shm or
     * /run, the first that is shmem). Fails the scenario if there is none.
     */
    static Path tmpfsFile(ScenarioContext ctx, String prefix, byte[] content) throws IOException {
        List<String> tried = new ArrayList<>();
        for (String dir : List.of(System.getProperty("java.io.tmpdir"), "/dev/shm", "/run")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d) || !Files.isWritable(d)) {
                tried.add(dir + " (not writable)");
                continue;
            }
            Path f = Files.createTempFile(d, prefix, ".bin");
            Files.write(f, content);
            int fd = ctx.calls().open(f.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
            boolean shmem;
            try {
                shmem = FileFacts.onShmem(fd);
            } finally {
                ctx.calls().close(fd);
            }
            if (shmem) {
                return f;
            }
            Files.delete(f);
            tried.add(dir + " (not tmpfs)");
        }
        throw new ScenarioFailure("no writable tmpfs directory to test with: " + tried);
    }
}
