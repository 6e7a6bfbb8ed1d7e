package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.LibcKernelCalls;
import dev.liveupdate.luo.sys.ProcHostInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds a {@link Target} from command-line options:
 * <pre>
 *   --backend real [--device /dev/liveupdate] [--kernel IMAGE [--initrd FILE] [--cmdline STR] [--expect-release R]]
 *   --backend sim --generation A|B --state-dir DIR
 * </pre>
 */
public final class Backends {
    private Backends() {}

    public static Target fromOptions(Map<String, String> options) {
        String backend = options.getOrDefault("backend", "real");
        switch (backend) {
            case "real":
                return real(Path.of(options.getOrDefault("device", LuoDevices.DEFAULT_PATH.toString())), options);
            case "sim":
                return simulated(SimulatedKernel.at(Path.of(require(options, "state-dir")),
                        Generation.valueOf(require(options, "generation"))));
            default:
                throw new IllegalArgumentException("--backend must be 'real' or 'sim', not '" + backend + "'");
        }
    }

    /** The real kernel through libc. Stage 1 of the kexec scenarios needs --kernel (and usually --initrd). */
    public static Target real(Path device, Map<String, String> options) {
        ProcHostInfo host = new ProcHostInfo();
        List<String> args = new ArrayList<>(List.of("--backend", "real", "--device", device.toString()));
        Target.KexecImageSource images = (handoff, currentRelease) -> {
            String kernel = options.get("kernel");
            if (kernel == null) {
                throw new IllegalArgumentException("--kernel IMAGE is required for --stage kexec-1 on a real device");
            }
            String initrd = options.get("initrd");
            return new Target.KexecImage(Path.of(kernel), initrd == null ? null : Path.of(initrd),
                    options.getOrDefault("cmdline", host.kernelCmdline()),
                    options.getOrDefault("expect-release", currentRelease));
        };
        return new Target("real " + device, new LibcKernelCalls(), device, host, args, images);
    }

    /** A simulated machine; stage 1 kexecs into a generated image with a new release. */
    public static Target simulated(SimulatedKernel kernel) {
        List<String> args = List.of("--backend", "sim", "--generation", kernel.generation().name(),
                "--state-dir", kernel.stateDir().toString());
        Target.KexecImageSource images = (handoff, currentRelease) -> {
            String release = "7.2.0-sim-" + UUID.randomUUID().toString().substring(0, 8);
            Path image = SimulatedKernel.writeImage(handoff.resolve("simulated-kernel.img"), release);
            return new Target.KexecImage(image, null, "console=ttyS0 kho=on liveupdate=on", release);
        };
        return new Target("simulated generation " + kernel.generation() + " in " + kernel.stateDir(), kernel,
                kernel.devicePath(), kernel.hostInfo(), args, images);
    }

    private static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }
}
