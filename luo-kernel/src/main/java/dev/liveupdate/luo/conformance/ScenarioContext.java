package dev.liveupdate.luo.conformance;

import com.sun.jna.Memory;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a scenario works with: the target, the recording KernelCalls the interface uses, the
 * generation found by the probe, and helpers that track every fd, session and device so that
 * {@link #cleanup()} leaves the device as it was found.
 */
public final class ScenarioContext {
    private final Target target;
    private final RecordingKernelCalls calls;
    private final Generation generation;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public ScenarioContext(Target target, RecordingKernelCalls calls, Generation generation) {
        this.target = target;
        this.calls = calls;
        this.generation = generation;
    }

    public Target target() {
        return target;
    }

    /** The calls the interface implementation uses; every ioctl is recorded. */
    public RecordingKernelCalls calls() {
        return calls;
    }

    /** The backend itself, for raw ioctls that deliberately break the rules (not recorded). */
    public KernelCalls raw() {
        return target.calls();
    }

    public Generation generation() {
        return generation;
    }

    public LuoDevice openDevice() {
        return track(LuoDevices.open(calls, target.devicePath()));
    }

    /** Opens the device without the interface (for raw ioctls); closed at cleanup. */
    public int openRawDevice() {
        return trackFd(raw().open(target.devicePath().toString(), KernelCalls.O_RDWR | KernelCalls.O_CLOEXEC));
    }

    public <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    public int trackFd(int fd) {
        resources.push(new FdCloser(fd));
        return fd;
    }

    /** Closes an fd now (and forgets it). */
    public void closeFd(int fd) {
        resources.removeIf(r -> r instanceof FdCloser && ((FdCloser) r).fd == fd);
        calls.close(fd);
    }

    /** Closes a session or device now (and forgets it). */
    public void close(AutoCloseable resource) throws Exception {
        resources.remove(resource);
        resource.close();
    }

    /** A memfd holding {@code content}, with its file position at {@code position}. */
    public int memfd(String name, byte[] content, long position) {
        int fd = trackFd(calls.memfdCreate(name, KernelCalls.MFD_CLOEXEC));
        int off = 0;
        while (off < content.length) {
            byte[] rest = off == 0 ? content : Arrays.copyOfRange(content, off, content.length);
            off += calls.write(fd, rest, rest.length);
        }
        calls.lseek(fd, position, KernelCalls.SEEK_SET);
        return fd;
    }

    public int memfd(String name, byte[] content) {
        return memfd(name, content, content.length);
    }

    /** The whole content of a file, read without moving its position. */
    public byte[] contents(int fd) {
        long size = size(fd);
        byte[] all = new byte[(int) size];
        byte[] buf = new byte[1 << 20];
        long off = 0;
        while (off < size) {
            int n = calls.pread(fd, buf, (int) Math.min(buf.length, size - off), off);
            if (n <= 0) {
                throw new ScenarioFailure("short read at " + off + " of " + size);
            }
            System.arraycopy(buf, 0, all, (int) off, n);
            off += n;
        }
        return all;
    }

    public long position(int fd) {
        return calls.lseek(fd, 0, KernelCalls.SEEK_CUR);
    }

    public long size(int fd) {
        long position = position(fd);
        long size = calls.lseek(fd, 0, KernelCalls.SEEK_END);
        calls.lseek(fd, position, KernelCalls.SEEK_SET);
        return size;
    }

    /** Checks a restored file against what stage 1 recorded: bytes (one by one), size, position. */
    public void verifyFile(int fd, Handoff handoff, String key) {
        byte[] expected = Payload.bytes(Long.parseLong(handoff.get(key + ".seed")),
                Integer.parseInt(handoff.get(key + ".length")));
        byte[] actual = contents(fd);
        Check.equal(actual.length, expected.length, key + " size");
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                throw new ScenarioFailure(key + ": byte " + i + " differs (expected " + expected[i] + ", got " + actual[i] + ")");
            }
        }
        Check.equal(Payload.sha256(actual), handoff.get(key + ".sha256"), key + " sha256");
        Check.equal(position(fd), Long.parseLong(handoff.get(key + ".position")), key + " file position");
    }

    /** Zeroed native memory for a raw ioctl struct. */
    public static Memory struct(int bytes) {
        Memory m = new Memory(bytes);
        m.clear();
        return m;
    }

    /**
     * Runs {@code mainClass} in a child JVM against the same backend and returns its stdout. Used to
     * show exclusivity across processes.
     */
    public String runChild(Class<?> mainClass, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(target.backendArgs());
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new ScenarioFailure("child " + mainClass.getSimpleName() + " did not end");
        }
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    /**
     * Closes everything the scenario left open (sessions and fds first, devices last) and, on A,
     * cancels a PREPARED state so the next scenario starts from NORMAL.
     */
    public void cleanup() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception | Error ignored) {
                // keep closing the rest
            }
        }
        if (generation == Generation.A) {
            try (LuoDevice device = LuoDevices.open(calls, target.devicePath())) {
                LuoState state = device.state();
                if (state == LuoState.PREPARED || state == LuoState.FROZEN) {
                    device.cancel();
                }
            } catch (ErrnoException | IllegalStateException ignored) {
                // best effort
            }
        }
    }

    /** Sessions a stage-1 kexec scenario leaves open for the runner to hold into the kexec. */
    public List<LuoSession> openSessions() {
        List<LuoSession> open = new ArrayList<>();
        resources.forEach(r -> {
            if (r instanceof LuoSession) {
                open.add((LuoSession) r);
            }
        });
        return open;
    }

    private final class FdCloser implements AutoCloseable {
        final int fd;

        FdCloser(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            calls.close(fd);
        }
    }
}
