package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.WorkloadSubscribers;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the engine's parts share: the kernel door, the device, the files, the host disk and the clock. */
final class EngineContext {
    private static final Logger LOG = Logger.getLogger(EngineContext.class.getName());

    final KernelCalls calls;
    final HostInfo host;
    final DeviceKeeper device;
    final FileTable files = new FileTable();
    final LocalState local;
    final Clock clock;
    final KernelLoader loader;
    /** Kernel staging (URL kernels); {@link StagingPort#NONE} unless the agent set one up. */
    StagingPort staging = StagingPort.NONE;
    /** This boot, read once at start: a process never outlives its boot. */
    final String bootId;
    final String release;
    /** The workloads subscribed on the socket: told freeze before the kexec, resumed after it. */
    final WorkloadSubscribers notices = new WorkloadSubscribers();

    EngineContext(KernelCalls calls, HostInfo host, DeviceKeeper device, LocalState local, Clock clock, EngineSettings settings) {
        this.calls = calls;
        this.host = host;
        this.device = device;
        this.local = local;
        this.clock = clock;
        this.loader = new KernelLoader(calls, new KernelDirectories(calls, settings.hostRoot(), settings.loadDirs()), settings.kernelPolicy(),
                settings.stagingDir());
        this.bootId = host.bootId();
        this.release = host.kernelRelease();
    }

    void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            calls.close(fd);
        } catch (ErrnoException e) {
            LOG.log(Level.FINE, "close(" + fd + ")", e);
        }
    }
}
