package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import dev.liveupdate.luo.sys.LibcKernelCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The per-process view of the simulated machine: the fd table of simulated files (device and
 * session fds, which are real placeholder fds so numbers never collide), the live sessions, the
 * incoming hand-over of this boot, and the kexec. Not thread-safe: SimulatedKernel serializes.
 */
final class SimMachine {
    private static final int CHUNK = 1 << 20;

    final LibcKernelCalls libc;
    final StateStore store;
    final SimConfig config;
    final String instanceId = UUID.randomUUID().toString();
    final LuoModel model;

    /** The hand-over this boot received; null if it could not be read (open gives EIO). */
    private final List<IncomingSession> incoming;
    private final Map<Integer, Object> fds = new HashMap<>();
    private final List<SimSession> sessions = new ArrayList<>();
    private final Map<SimSession, IoctlDispatcher> sessionTables = new LinkedHashMap<>();
    private IoctlDispatcher deviceTable;
    private boolean halted;
    /**
     * B: the kernel's luo_preserved_files registry, keyed by inode: files preserved in an outgoing
     * session and files retrieved from an incoming one (until FINISH). A file in it cannot be
     * preserved again (EBUSY).
     */
    private final Map<String, String> registered = new HashMap<>();
    /** B: inodes of outgoing preserved memfds, whose size is frozen until the kexec (shmem_freeze). */
    private final java.util.Set<String> frozen = new java.util.HashSet<>();
    /** The page size the frozen-size rule works in (x86-64; the chunks of generic_perform_write). */
    private static final long PAGE = 4096;

    SimMachine(LibcKernelCalls libc, StateStore store, SimConfig config) {
        this.libc = libc;
        this.store = store;
        this.config = config;
        List<IncomingSession> read;
        try {
            read = Handover.read(store.incomingDir());
        } catch (RuntimeException e) {
            read = null;
        }
        this.incoming = read;
        this.model = config.generation() == Generation.A ? new GenerationAModel(this) : new GenerationBModel(this);
        Claims.register(instanceId);
    }

    // ---- fd table -------------------------------------------------------------------------

    boolean tracks(int fd) {
        return fds.containsKey(fd);
    }

    int openDevice() {
        ensureRunning();
        if (!config.luoAvailable()) {
            throw new ErrnoException(Errno.ENOENT, "open(/dev/liveupdate)", "simulated kernel without LUO");
        }
        int fd = libc.open(store.deviceNode().toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
        DeviceLock lock = DeviceLock.tryAcquire(store.deviceLockFile());
        if (lock == null) {
            libc.close(fd);
            throw new ErrnoException(Errno.EBUSY, "open(/dev/liveupdate)", "exclusive: already open");
        }
        if (incoming == null) {
            lock.release();
            libc.close(fd);
            throw new ErrnoException(Errno.EIO, "open(/dev/liveupdate)", "incoming sessions failed to deserialize");
        }
        DeviceHandle handle = new DeviceHandle(lock);
        handle.refs = 1;
        fds.put(fd, handle);
        return fd;
    }

    int ioctl(int fd, long request, com.sun.jna.Pointer arg) {
        ensureRunning();
        Object file = fds.get(fd);
        try {
            if (file instanceof DeviceHandle) {
                if (deviceTable == null) {
                    deviceTable = model.deviceTable();
                }
                return deviceTable.dispatch(request, arg);
            }
            SimSession session = (SimSession) file;
            return sessionTables.computeIfAbsent(session, model::sessionTable).dispatch(request, arg);
        } catch (UncheckedIOException e) {
            throw stateIoFailure(String.format("ioctl(0x%X)", request), e);
        }
    }

    /**
     * The simulator's own state files need fds too: a process out of fds gets EMFILE (as the
     * kernel's get_unused_fd_flags would give it), any other state I/O failure EIO.
     */
    private static ErrnoException stateIoFailure(String call, UncheckedIOException e) {
        boolean outOfFds = e.getCause() instanceof java.nio.file.FileSystemException
                && String.valueOf(((java.nio.file.FileSystemException) e.getCause()).getReason()).contains("Too many open files");
        return new ErrnoException(outOfFds ? Errno.EMFILE : Errno.EIO, call, "simulator state: " + e.getMessage());
    }

    int dup(int fd) {
        ensureRunning();
        Object file = fds.get(fd);
        int copy = libc.dupCloexec(fd);
        if (file instanceof DeviceHandle) {
            ((DeviceHandle) file).refs++;
        } else {
            ((SimSession) file).refs++;
        }
        fds.put(copy, file);
        return copy;
    }

    void close(int fd) {
        ensureRunning();
        Object file = fds.remove(fd);
        libc.close(fd);
        release(file, true);
    }

    private void release(Object file, boolean persist) {
        if (file instanceof DeviceHandle) {
            DeviceHandle device = (DeviceHandle) file;
            if (--device.refs == 0) {
                device.lock.release();
            }
        } else {
            SimSession session = (SimSession) file;
            if (--session.refs == 0) {
                if (persist) {
                    model.sessionClosed(session);
                } else {
                    closeFiles(session);
                }
            }
        }
    }

    /** Allocates the fd a new session will live behind (the kernel's get_unused_fd_flags; EMFILE). */
    int allocateSessionFd() {
        return libc.open("/dev/null", KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
    }

    void discardSessionFd(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException ignored) {
            // it was ours and unused
        }
    }

    void installSession(int fd, SimSession session) {
        session.refs++;
        fds.put(fd, session);
        if (!sessions.contains(session)) {
            sessions.add(session);
        }
    }

    List<SimSession> sessions() {
        return List.copyOf(sessions);
    }

    /** Removes a session whose last fd closed: its files are unpreserved; a retrieved one is gone. */
    void forgetSession(SimSession session) {
        sessions.remove(session);
        sessionTables.remove(session);
        closeFiles(session);
        if (session.origin != null) {
            store.updateState(p -> p.setProperty(Claims.key(session.origin.index()), "gone"));
        }
    }

    void closeFiles(SimSession session) {
        session.preserved.values().forEach(f -> {
            quietClose(f.fd());
            unregister(f.inodeKey());
        });
        session.preserved.clear();
        session.restorable.values().forEach(this::releaseRestorable);
        session.restorable.clear();
    }

    /** B FINISH or close of a retrieved session: the kernel drops its reference and its registry entry. */
    void releaseRestorable(RestorableFile f) {
        if (f.fd >= 0) {
            quietClose(f.fd);
        }
        unregister(f.inodeKey);
    }

    private void unregister(String inodeKey) {
        if (inodeKey != null) {
            registered.remove(inodeKey);
            frozen.remove(inodeKey);
        }
    }

    private void quietClose(int fd) {
        try {
            libc.close(fd);
        } catch (ErrnoException ignored) {
            // already gone
        }
    }

    // ---- shared kernel helpers --------------------------------------------------------------

    LuoState globalState() {
        return LuoState.valueOf(store.readState().getProperty("global_state", "NORMAL"));
    }

    void setGlobalState(LuoState state) {
        store.updateState(p -> p.setProperty("global_state", state.name()));
    }

    List<IncomingSession> incoming() {
        return incoming;
    }

    Optional<IncomingSession> findIncoming(String name) {
        return incoming.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    Claims.Status claimStatus(IncomingSession session) {
        return Claims.status(store.readState(), session.index());
    }

    void claim(IncomingSession session) {
        store.updateState(p -> p.setProperty(Claims.key(session.index()), Claims.claimBy(instanceId)));
    }

    /**
     * PRESERVE_FD's file checks: EBADF if {@code fd} is not open, ENOENT if it is not a memfd (the
     * only preservable type in mainline). Takes the kernel's own reference (a duplicate fd).
     */
    PreservedFile preserveFile(int fd, long token, String call) {
        if (fd < 0) {
            throw new ErrnoException(Errno.EBADF, call, "fd " + fd);
        }
        String target;
        try {
            target = libc.fdTarget(fd);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EBADF, call, "fd " + fd + " is not open");
        }
        if (!target.startsWith("/memfd:")) {
            throw new ErrnoException(Errno.ENOENT, call, "fd " + fd + " (" + target + ") is not a memfd");
        }
        String memfdName = target.substring("/memfd:".length()).replaceFirst(" \\(deleted\\)$", "");
        return new PreservedFile(token, libc.dupCloexec(fd), memfdName);
    }

    /**
     * B PRESERVE_FD's file checks, in the order of 7.2's luo_preserve_file and the memfd handler:
     * EBADF if {@code fd} is not open; ENOENT unless it is a shmem file without links (a memfd, or
     * an unlinked tmpfs file: can_preserve); EBUSY if the same inode is already preserved or was
     * retrieved and not yet finished (the luo_preserved_files registry); EOPNOTSUPP for seals the
     * handler does not know. Takes the kernel's reference (a duplicate fd), records the seals and
     * freezes the file's size until the kexec.
     */
    PreservedFile preserveFileB(int fd, long token, String call) {
        if (fd < 0) {
            throw new ErrnoException(Errno.EBADF, call, "fd " + fd);
        }
        String target;
        try {
            target = libc.fdTarget(fd);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EBADF, call, "fd " + fd + " is not open");
        }
        FileFacts.Inode inode = FileFacts.inode(fd);
        if (!inode.regular() || inode.nlink() != 0 || !FileFacts.onShmem(fd)) {
            throw new ErrnoException(Errno.ENOENT, call, "fd " + fd + " (" + target + ") is not a shmem file without links");
        }
        String key = inode.key();
        if (registered.containsKey(key)) {
            throw new ErrnoException(Errno.EBUSY, call, "fd " + fd + " (" + target + ") is already " + registered.get(key));
        }
        int seals = FileFacts.seals(fd);
        if ((seals & ~FileFacts.LUO_MEMFD_SEALS) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, call, "seals 0x" + Integer.toHexString(seals) + " unknown to the memfd handler");
        }
        String memfdName = target.startsWith("/memfd:") ? target.substring("/memfd:".length()).replaceFirst(" \\(deleted\\)$", "") : "";
        PreservedFile file = new PreservedFile(token, libc.dupCloexec(fd), memfdName, seals, key);
        registered.put(key, "preserved (token " + Long.toUnsignedString(token) + ")");
        frozen.add(key);
        return file;
    }

    /** RESTORE_FD / RETRIEVE_FD: a new fd to the restored memfd (created on first use). */
    int restore(RestorableFile file) {
        if (file.fd < 0) {
            file.fd = materialize(file.source);
            if (config.generation() == Generation.B) {
                file.inodeKey = FileFacts.inode(file.fd).key();
                registered.put(file.inodeKey, "retrieved (token " + Long.toUnsignedString(file.source.token()) + ") and not finished");
            }
        }
        return libc.dupCloexec(file.fd);
    }

    /**
     * A new memfd with the handed-over content. B (as 7.2's memfd_luo_retrieve): no name, sealing
     * allowed, the preserved seals added after the content is in place. A: the old name, no seals.
     */
    private int materialize(IncomingFile source) {
        boolean b = config.generation() == Generation.B;
        int fd = b ? libc.memfdCreate("", KernelCalls.MFD_CLOEXEC | KernelCalls.MFD_ALLOW_SEALING)
                : libc.memfdCreate(source.memfdName(), KernelCalls.MFD_CLOEXEC);
        try (InputStream in = Files.newInputStream(source.data())) {
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) > 0) {
                int off = 0;
                while (off < n) {
                    // write(2) takes the buffer from its start: pass the unwritten rest
                    byte[] rest = off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, n);
                    off += libc.write(fd, rest, n - off);
                }
            }
            libc.ftruncate(fd, source.size());
            libc.lseek(fd, source.position(), KernelCalls.SEEK_SET);
            if (b && source.seals() != 0) {
                FileFacts.addSeals(fd, source.seals());
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            quietClose(fd);
            throw new ErrnoException(Errno.EIO, "restore", "hand-over data " + source.data() + ": " + e.getMessage());
        }
    }

    // ---- the frozen size of a preserved memfd (B) ----------------------------------------------

    /**
     * write(2), with 7.2's shmem rule for a preserved memfd (SHMEM_F_MAPPING_FROZEN): a write that
     * would extend the file fails with EPERM in the first page-sized chunk that crosses the end of
     * file, so the bytes before that chunk are written (a short write) and a write that starts in
     * that chunk fails. Writes inside the file are allowed. Other fds: plain write(2). Only calls
     * made through this simulator see the rule (another process writing to the memfd does not).
     */
    int write(int fd, byte[] buf, int len) {
        String key = frozenKey(fd);
        if (key != null) {
            long position = libc.lseek(fd, 0, KernelCalls.SEEK_CUR);
            long size = sizeOf(fd);
            if (position + len > size) {
                long allowed = (size & -PAGE) - position;
                if (allowed <= 0) {
                    throw new ErrnoException(Errno.EPERM, "write(" + fd + ")",
                            "the memfd is preserved: its size is frozen until the kexec");
                }
                return libc.write(fd, buf, (int) allowed);
            }
        }
        return libc.write(fd, buf, len);
    }

    /** ftruncate(2); EPERM for a preserved memfd (B) when the size would change. */
    void ftruncate(int fd, long length) {
        String key = frozenKey(fd);
        if (key != null && length != sizeOf(fd)) {
            throw new ErrnoException(Errno.EPERM, "ftruncate(" + fd + ")", "the memfd is preserved: its size is frozen until the kexec");
        }
        libc.ftruncate(fd, length);
    }

    private String frozenKey(int fd) {
        if (frozen.isEmpty() || tracks(fd)) {
            return null;
        }
        try {
            String key = FileFacts.inode(fd).key();
            return frozen.contains(key) ? key : null;
        } catch (ErrnoException e) {
            return null; // not open: the real call reports EBADF
        }
    }

    private long sizeOf(int fd) {
        long position = libc.lseek(fd, 0, KernelCalls.SEEK_CUR);
        long size = libc.lseek(fd, 0, KernelCalls.SEEK_END);
        libc.lseek(fd, position, KernelCalls.SEEK_SET);
        return size;
    }

    // ---- kexec ------------------------------------------------------------------------------

    void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
        ensureRunning();
        if ((flags & KernelCalls.KEXEC_FILE_UNLOAD) != 0) {
            store.updateState(p -> {
                p.remove("loaded.release");
                p.remove("loaded.cmdline");
            });
            return;
        }
        byte[] head = new byte[4096];
        int n;
        try {
            n = libc.pread(kernelFd, head, head.length, 0);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.errnoNumber(), "kexec_file_load", "cannot read the kernel fd");
        }
        if ((flags & KernelCalls.KEXEC_FILE_NO_INITRAMFS) == 0) {
            libc.fdTarget(initrdFd); // EBADF if the initrd fd is not open
        }
        String release = SimulatedImage.release(head, n).orElseThrow(() -> new ErrnoException(Errno.ENOEXEC,
                "kexec_file_load", "not a simulated kernel image (first line must be '" + SimulatedImage.MAGIC + " release=...')"));
        String nextCmdline = cmdline == null ? "" : cmdline;
        store.updateState(p -> {
            p.setProperty("loaded.release", release);
            p.setProperty("loaded.cmdline", nextCmdline);
        });
    }

    /**
     * reboot(KEXEC): serialize what the generation hands over into a new boot directory, switch to
     * it atomically and end this process as the old kernel would.
     */
    void rebootKexec() {
        ensureRunning();
        Properties state = store.readState();
        String release = state.getProperty("loaded.release");
        if (release == null) {
            throw new ErrnoException(Errno.EINVAL, "reboot(LINUX_REBOOT_CMD_KEXEC)", "no kernel loaded");
        }
        BootRecord current = store.boot();
        RebootPlan plan = model.planReboot();
        BootRecord next = new BootRecord(current.generation(), UUID.randomUUID().toString(), release,
                state.getProperty("loaded.cmdline", ""), current.liveUpdateNumber() + (plan.handover() ? 1 : 0),
                plan.handover());
        try {
            java.nio.file.Path bootDir = store.writeBootDirectory(next, plan.nextState(), dir -> {
                if (plan.handover()) {
                    Handover.write(dir.resolve("incoming"), outgoing(plan.sessions()));
                }
            });
            store.switchTo(bootDir);
        } catch (IOException | UncheckedIOException | ErrnoException e) {
            model.rebootFailed();
            throw new ErrnoException(Errno.EIO, "reboot(LINUX_REBOOT_CMD_KEXEC)", "hand-over failed: " + e.getMessage());
        }
        halt(SimulatedKernel.KEXEC_EXIT_STATUS);
    }

    private List<Handover.OutgoingSession> outgoing(List<SimSession> handedOver) {
        List<Handover.OutgoingSession> out = new ArrayList<>();
        for (SimSession s : handedOver) {
            List<Handover.FileSource> files = new ArrayList<>();
            for (PreservedFile f : s.preserved.values()) {
                files.add(new MemfdSource(f));
            }
            out.add(new Handover.OutgoingSession(s.name, files));
        }
        return out;
    }

    /** Reads a preserved memfd through the simulator's own reference: bytes, size and position. */
    private final class MemfdSource implements Handover.FileSource {
        private final PreservedFile file;

        MemfdSource(PreservedFile file) {
            this.file = file;
        }

        @Override
        public long token() {
            return file.token();
        }

        @Override
        public String memfdName() {
            return file.memfdName();
        }

        @Override
        public int seals() {
            return file.seals();
        }

        @Override
        public long[] copyTo(OutputStream out) throws IOException {
            long position = libc.lseek(file.fd(), 0, KernelCalls.SEEK_CUR);
            long size = libc.lseek(file.fd(), 0, KernelCalls.SEEK_END);
            libc.lseek(file.fd(), position, KernelCalls.SEEK_SET);
            byte[] buf = new byte[CHUNK];
            long offset = 0;
            while (offset < size) {
                int n = libc.pread(file.fd(), buf, (int) Math.min(buf.length, size - offset), offset);
                if (n <= 0) {
                    break;
                }
                out.write(buf, 0, n);
                offset += n;
            }
            return new long[] {size, position};
        }
    }

    // ---- the end of this process's world ------------------------------------------------------

    /** The old kernel is gone: nothing of this instance may act any more, then the exit action runs. */
    void halt(int status) {
        halted = true;
        fds.forEach((fd, file) -> {
            quietClose(fd);
            release(file, false);
        });
        fds.clear();
        sessions.forEach(this::closeFiles);
        sessions.clear();
        registered.clear();
        frozen.clear();
        Claims.unregister(instanceId);
        System.out.flush();
        System.err.flush();
        config.exitAction().accept(status);
    }

    /** What the kernel does when the holder dies: close every fd it had, with all consequences. */
    void processDeath() {
        ensureRunning();
        for (Integer fd : List.copyOf(fds.keySet())) {
            close(fd);
        }
        halted = true;
        Claims.unregister(instanceId);
    }

    boolean halted() {
        return halted;
    }

    void ensureRunning() {
        if (halted) {
            throw new IllegalStateException("this simulated kernel instance has ended (kexec or process death);"
                    + " a new process opens a new SimulatedKernel on the same state directory");
        }
    }
}
