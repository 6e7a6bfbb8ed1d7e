package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.ErrnoException;
import java.util.List;

/**
 * open(/dev/liveupdate) failed with EBUSY: another open file holds the device (it is exclusive).
 * Back off and report; never probe a device someone else holds.
 */
public final class DeviceBusyException extends LuoException {
    private static final long serialVersionUID = 1L;

    private final List<String> holders;

    public DeviceBusyException(String operation, ErrnoException cause, List<String> holders) {
        super(operation, cause, advice(holders));
        this.holders = List.copyOf(holders);
    }

    private static String advice(List<String> holders) {
        String who = holders.isEmpty()
                ? "no holder found in /proc/*/fd (it may run in another PID namespace, or be systemd at shutdown/boot)"
                : "held by " + String.join(", ", holders);
        return "the device is exclusive and already open: " + who
                + "; only one agent per node may hold it - stop the other holder or wait for it to close the device";
    }

    /** The holders found by scanning /proc/[pid]/fd, as "pid 123 (java ...)". */
    public List<String> holders() {
        return holders;
    }
}
