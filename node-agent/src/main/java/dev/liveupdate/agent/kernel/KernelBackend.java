package dev.liveupdate.agent.kernel;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import dev.liveupdate.luo.sys.LibcKernelCalls;
import dev.liveupdate.luo.sys.ProcHostInfo;
import java.nio.file.Path;
import java.util.Optional;

/** The kernel the agent talks to: the real one through libc, or the simulator (whose kexec ends this process). */
public record KernelBackend(RebootStrategy strategy, KernelCalls calls, HostInfo host) {

    public static RebootStrategy parseStrategy(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "direct" -> RebootStrategy.Direct;
            case "simulated" -> RebootStrategy.Simulated;
            case "systemd" -> throw new IllegalArgumentException("reboot-strategy systemd is reserved and not implemented yet; use direct");
            default -> throw new IllegalArgumentException("unknown reboot-strategy '" + text + "': direct or simulated");
        };
    }

    public static KernelBackend direct() {
        return new KernelBackend(RebootStrategy.Direct, new LibcKernelCalls(), new ProcHostInfo());
    }

    public static KernelBackend simulated(Path stateDir, Generation generation, Optional<String> initialRelease, boolean luoAvailable) {
        SimulatedKernel.Builder b = SimulatedKernel.builder(stateDir, generation).luoAvailable(luoAvailable);
        initialRelease.ifPresent(b::initialRelease);
        SimulatedKernel sim = b.build();
        return new KernelBackend(RebootStrategy.Simulated, sim, sim.hostInfo());
    }
}
