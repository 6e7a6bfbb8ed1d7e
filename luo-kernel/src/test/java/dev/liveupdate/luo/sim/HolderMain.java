package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;

/**
 * A device holder that dies without closing anything (Runtime.halt), for the holder-death tests.
 * Args: stateDir generation action [session]. Actions: "prepare" (A: create + preserve + PREPARE),
 * "retrieve" (retrieve the named incoming session), "hold" (just open the device).
 */
public final class HolderMain {
    private HolderMain() {}

    public static void main(String[] args) {
        SimulatedKernel kernel = SimulatedKernel.at(Path.of(args[0]), Generation.valueOf(args[1]));
        LuoDevice device = LuoDevices.open(kernel, kernel.devicePath());
        switch (args[2]) {
            case "prepare": {
                LuoSession s = device.createSession(args[3]);
                int memfd = kernel.memfdCreate("held", KernelCalls.MFD_CLOEXEC);
                s.preserve(memfd, 1);
                device.prepare();
                break;
            }
            case "retrieve":
                device.retrieveSession(args[3]);
                break;
            case "hold":
                break;
            default:
                throw new IllegalArgumentException(args[2]);
        }
        System.out.println("DYING");
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }
}
