package dev.liveupdate.luo.testing;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.Kexec;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated machines for in-JVM tests: the kexec's exit action records the status and returns
 * instead of halting the test JVM; the next "process" is a new SimulatedKernel on the same dir.
 */
public final class SimMachines {
    private final Path dir;
    private final Generation generation;
    private final List<Integer> exits = new ArrayList<>();

    public SimMachines(Path dir, Generation generation) {
        this.dir = dir;
        this.generation = generation;
    }

    /** A new process's view of the machine. */
    public SimulatedKernel process() {
        return builder().build();
    }

    public SimulatedKernel.Builder builder() {
        return SimulatedKernel.builder(dir, generation).exitAction(exits::add);
    }

    /** Loads a simulated image of {@code release} and reboots into it; the old instance is dead afterwards. */
    public SimulatedKernel kexec(SimulatedKernel kernel, String release) {
        Path image = SimulatedKernel.writeImage(dir.resolveSibling(dir.getFileName() + "-" + release + ".img"), release);
        Kexec.load(kernel, image, null, "console=ttyS0 kho=on liveupdate=on");
        Kexec.execute(kernel);
        return process();
    }

    public List<Integer> exits() {
        return exits;
    }

    public Path dir() {
        return dir;
    }

    /** A memfd with {@code content}, position at the end. */
    public static int memfd(KernelCalls calls, String name, byte[] content) {
        int fd = calls.memfdCreate(name, KernelCalls.MFD_CLOEXEC);
        if (content.length > 0) {
            calls.write(fd, content, content.length);
        }
        return fd;
    }

    /** The whole file, read without moving the position. */
    public static byte[] contents(KernelCalls calls, int fd) {
        long pos = calls.lseek(fd, 0, KernelCalls.SEEK_CUR);
        long size = calls.lseek(fd, 0, KernelCalls.SEEK_END);
        calls.lseek(fd, pos, KernelCalls.SEEK_SET);
        byte[] out = new byte[(int) size];
        int off = 0;
        while (off < size) {
            byte[] buf = new byte[(int) size - off];
            int n = calls.pread(fd, buf, buf.length, off);
            System.arraycopy(buf, 0, out, off, n);
            off += n;
        }
        return out;
    }
}
