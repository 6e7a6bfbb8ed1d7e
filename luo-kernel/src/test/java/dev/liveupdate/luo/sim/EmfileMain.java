package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoException;
import java.nio.file.Path;

/** Creates sessions until CREATE_SESSION fails and prints "FAILED &lt;errno&gt; AFTER &lt;n&gt;". Run under a low RLIMIT_NOFILE. */
public final class EmfileMain {
    private EmfileMain() {}

    public static void main(String[] args) {
        SimulatedKernel kernel = SimulatedKernel.at(Path.of(args[0]), Generation.valueOf(args[1]));
        try (LuoDevice device = LuoDevices.open(kernel, kernel.devicePath())) {
            for (int i = 0; i < 100_000; i++) {
                try {
                    device.createSession("s" + i);
                } catch (LuoException e) {
                    System.out.println("FAILED " + e.errnoName() + " AFTER " + i);
                    return;
                }
            }
        }
        System.out.println("NEVER FAILED");
    }
}
