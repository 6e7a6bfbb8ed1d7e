package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.sys.ErrnoException;

/**
 * Child process of the two-process exclusivity scenario: tries to open the device once and prints
 * "OPENED &lt;generation&gt;" or the errno name, then exits.
 */
public final class OpenProbeMain {
    private OpenProbeMain() {}

    public static void main(String[] args) {
        Target target = Backends.fromOptions(ConformanceMain.parseOptions(args));
        try (LuoDevice device = LuoDevices.open(target.calls(), target.devicePath())) {
            System.out.println("OPENED " + device.generation());
        } catch (ErrnoException e) {
            System.out.println(e.errnoName());
        }
    }
}
