package dev.liveupdate.luo.sim;

import com.sun.jna.Pointer;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.FileStat;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import dev.liveupdate.luo.sys.LibcKernelCalls;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * KernelCalls with a simulated /dev/liveupdate of one generation, for machines without a LUO
 * kernel. One instance = one process's view of one simulated machine, whose persistent state lives
 * in a state directory shared by all processes (and simulated boots) of that machine.
 *
 * <p>Calls on the simulated device, its session fds, kexec_file_load and reboot are simulated at
 * the ioctl boundary: the simulator reads and writes the same struct memory the real ioctl would,
 * with the kernel's dispatch order and errnos. Everything else (memfds, read/write, close of other
 * fds) goes to the real libc, so workloads can pass real memfds across processes; only {@code
 * write} and {@code ftruncate} of a memfd preserved in a generation-B session are checked first,
 * as 7.2's shmem freezes a preserved file's size until the kexec ({@code EPERM}).
 *
 * <p>Generation B follows Linux 7.2.13 as verified in the QEMU guest (docs/real-kernel.md);
 * limits and GET_NAME follow the {@link LuoRevision} (6.19 or 7.x, from the release by default).
 *
 * <p>reboot(KEXEC) writes the hand-over to the state directory, switches the machine to the next
 * boot (new boot ID, the loaded image's release) and ends the process with {@link
 * #KEXEC_EXIT_STATUS} via {@code Runtime.halt} (injectable with {@link Builder#exitAction}).
 */
public final class SimulatedKernel implements KernelCalls {
    /** The status a process ends with when its simulated kernel kexecs (as if SIGKILLed: 128+9). */
    public static final int KEXEC_EXIT_STATUS = 137;
    /** The session count limit of 6.19 ({@link LuoRevision#V6_19}); 7.x machines (the default) have no small limit. */
    public static final int DEFAULT_SESSION_LIMIT = LuoAbi.B.MAX_SESSIONS_6_19;

    private final SimMachine machine;
    private final String canonicalDevice;

    private SimulatedKernel(SimMachine machine) {
        this.machine = machine;
        this.canonicalDevice = LuoDevices.DEFAULT_PATH.toString();
    }

    /** The simulated machine in {@code stateDir} (cold-booted if new) with default settings. */
    public static SimulatedKernel at(Path stateDir, Generation generation) {
        return builder(stateDir, generation).build();
    }

    public static Builder builder(Path stateDir, Generation generation) {
        return new Builder(stateDir, generation);
    }

    /** Configures a simulated machine. Release/cmdline apply only to a cold boot of a new state directory. */
    public static final class Builder {
        private final Path stateDir;
        private final Generation generation;
        private String initialRelease;
        private String initialCmdline = "console=ttyS0 kho=on liveupdate=on";
        private LuoRevision revision;
        private Integer sessionLimit;
        private Integer filesPerSession;
        private Boolean getName;
        private boolean luoAvailable = true;
        private IntConsumer exitAction = status -> Runtime.getRuntime().halt(status);
        private LibcKernelCalls libc = new LibcKernelCalls();

        private Builder(Path stateDir, Generation generation) {
            this.stateDir = Objects.requireNonNull(stateDir);
            this.generation = Objects.requireNonNull(generation);
            this.initialRelease = generation == Generation.A ? "6.17.0-luo-v4-sim" : "7.2.0-sim";
        }

        public Builder initialRelease(String release) {
            this.initialRelease = release;
            return this;
        }

        public Builder initialCmdline(String cmdline) {
            this.initialCmdline = cmdline;
            return this;
        }

        /**
         * B: which upstream release to behave like where releases differ (limits, GET_NAME). Default:
         * {@link LuoRevision#forRelease} of the initial release, so the default machine ("7.2.0-sim")
         * behaves like 7.x and one with a 6.x release like 6.19.
         */
        public Builder revision(LuoRevision revision) {
            this.revision = Objects.requireNonNull(revision);
            return this;
        }

        /**
         * B: outgoing sessions before CREATE_SESSION fails (default from the revision: 6.19 819 then
         * ENOMEM; 7.x 510000 then ENOSPC). The errno stays the revision's.
         */
        public Builder sessionLimit(int limit) {
            this.sessionLimit = limit;
            return this;
        }

        /** B: files per session before PRESERVE_FD fails with ENOSPC (default from the revision: 6.19 128; 7.x 630000). */
        public Builder filesPerSession(int limit) {
            this.filesPerSession = limit;
            return this;
        }

        /** B: whether GET_NAME exists (default from the revision: 7.x yes; 6.19 no, EINVAL). */
        public Builder getName(boolean present) {
            this.getName = present;
            return this;
        }

        /** false simulates a kernel without LUO: opening the device gives ENOENT. */
        public Builder luoAvailable(boolean available) {
            this.luoAvailable = available;
            return this;
        }

        /** What ends the process at a simulated kexec (default Runtime.halt). Tests may return instead. */
        public Builder exitAction(IntConsumer action) {
            this.exitAction = Objects.requireNonNull(action);
            return this;
        }

        public SimulatedKernel build() {
            StateStore store = StateStore.open(stateDir, generation, initialRelease, initialCmdline);
            LuoRevision r = revision != null ? revision : LuoRevision.forRelease(initialRelease);
            SimConfig config = new SimConfig(generation, initialRelease, initialCmdline, r,
                    sessionLimit != null ? sessionLimit : r.sessionLimit(), r.sessionLimitErrno(),
                    filesPerSession != null ? filesPerSession : r.filesPerSession(), r.filesLimitErrno(),
                    getName != null ? getName : r.getName(), luoAvailable, exitAction);
            return new SimulatedKernel(new SimMachine(libc, store, config));
        }
    }

    // ---- facts about the simulated machine ------------------------------------------------------

    /** The simulated device node; {@code /dev/liveupdate} is accepted as an alias. */
    public Path devicePath() {
        return machine.store.deviceNode();
    }

    public Path stateDir() {
        return machine.store.dir();
    }

    public Generation generation() {
        return machine.config.generation();
    }

    /** B: the upstream release this machine behaves like where releases differ (limits, GET_NAME). */
    public LuoRevision revision() {
        return machine.config.revision();
    }

    /**
     * Sets one of the simulated kernel's kexec policy files under {@code stateDir} ({@code lockdown}, {@code config},
     * {@code kexec_load_disabled}; see {@link SimulatedHostInfo}), as securityfs, /proc/config.gz or the sysctl show it.
     */
    public static void writePolicy(Path stateDir, String name, String content) {
        Path file = SimulatedHostInfo.policyFile(stateDir.toAbsolutePath().normalize(), name);
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Boot ID, release and cmdline of the simulated machine's current boot. */
    public HostInfo hostInfo() {
        return new SimulatedHostInfo(machine.store);
    }

    /** True once this instance's world ended (kexec or simulated process death). */
    public synchronized boolean halted() {
        return machine.halted();
    }

    /**
     * Closes every simulated fd of this instance as the kernel does when a process dies: outgoing
     * sessions are destroyed, retrieved ones are gone, the device is released; (A) the global state
     * stays. The instance is unusable afterwards.
     */
    public synchronized void simulateProcessDeath() {
        machine.processDeath();
    }

    /** Writes a simulated kernel image (see {@link SimulatedImage}). */
    public static Path writeImage(Path file, String release) {
        return SimulatedImage.write(file, release);
    }

    // ---- KernelCalls ------------------------------------------------------------------------

    private boolean isDevice(String path) {
        return path.equals(canonicalDevice) || path.equals(devicePath().toString());
    }

    @Override
    public synchronized int open(String path, int flags) {
        if (isDevice(path)) {
            return machine.openDevice();
        }
        return machine.libc.open(path, flags);
    }

    /** Kernel images and initrds are real files on the host: the real openat2 opens them (the device is never opened so). */
    @Override
    public int openat2(int dirfd, String path, int flags, long resolve) {
        return machine.libc.openat2(dirfd, path, flags, resolve);
    }

    @Override
    public synchronized int ioctl(int fd, long request, Pointer arg) {
        if (machine.tracks(fd)) {
            return machine.ioctl(fd, request, arg);
        }
        return machine.libc.ioctl(fd, request, arg);
    }

    @Override
    public synchronized void close(int fd) {
        if (machine.tracks(fd)) {
            machine.close(fd);
        } else {
            machine.libc.close(fd);
        }
    }

    @Override
    public synchronized int dup(int fd) {
        if (machine.tracks(fd)) {
            return machine.dup(fd);
        }
        return machine.libc.dup(fd);
    }

    @Override
    public int memfdCreate(String name, int flags) {
        return machine.libc.memfdCreate(name, flags);
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        return machine.libc.read(fd, buf, len);
    }

    @Override
    public synchronized int write(int fd, byte[] buf, int len) {
        return machine.write(fd, buf, len);
    }

    @Override
    public int pread(int fd, byte[] buf, int len, long offset) {
        return machine.libc.pread(fd, buf, len, offset);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return machine.libc.lseek(fd, offset, whence);
    }

    @Override
    public synchronized void ftruncate(int fd, long length) {
        machine.ftruncate(fd, length);
    }

    @Override
    public synchronized void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        machine.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
    }

    /** The simulator fsyncs its own state as it writes it; the host's page cache is not its business. */
    @Override
    public void sync() {
        // nothing to flush
    }

    @Override
    public synchronized void reboot(int cmd) {
        if (cmd != LINUX_REBOOT_CMD_KEXEC) {
            throw new ErrnoException(Errno.EINVAL, String.format("reboot(0x%X)", cmd),
                    "the simulator only performs LINUX_REBOOT_CMD_KEXEC");
        }
        machine.rebootKexec();
    }

    /** The simulator's fds are real fds of this process (memfds, placeholders), so the real fstat describes them. */
    @Override
    public FileStat fstat(int fd) {
        return machine.libc.fstat(fd);
    }

    @Override
    public String fdTarget(int fd) {
        return machine.libc.fdTarget(fd);
    }

    @Override
    public String deviceLinkTarget(String requestedPath) {
        return isDevice(requestedPath) ? devicePath().toString() : requestedPath;
    }
}
