package dev.liveupdate.sandbox;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Makes SIGINT (Ctrl-C) and SIGTERM run the shutdown hooks, and so stop the fleet, whatever disposition the sandbox
 * inherited. A background job of a non-interactive shell ({@code nohup ... &}, a CI step) starts with SIGINT ignored,
 * and the JVM then installs no handler for it (HotSpot's JVM_RegisterSignal leaves an inherited SIG_IGN of the shutdown
 * signals alone), so {@code kill -INT} would do nothing. The sandbox resets such a signal to its default and installs
 * the handler the JVM would have: exit with 128 + the signal's number. SIGHUP is left as it is: nohup ignores it on
 * purpose.
 */
final class StopSignals {
    private static final List<String> NAMES = List.of("INT", "TERM");

    private interface CLibrary extends Library {
        /** signal(2); a NULL handler is SIG_DFL. */
        Pointer signal(int signum, Pointer handler);
    }

    private StopSignals() {
    }

    /** Installs the exit handler for SIGINT and SIGTERM; returns the names of those that had been inherited ignored. */
    static List<String> reclaim() {
        List<String> wereIgnored = new ArrayList<>();
        SignalHandler exit = signal -> Runtime.getRuntime().exit(128 + signal.getNumber());
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                if (Signal.handle(signal, exit) == SignalHandler.SIG_IGN) {
                    // The JVM refused while the signal is ignored: reset it natively, then it accepts the handler.
                    Native.load("c", CLibrary.class).signal(signal.getNumber(), Pointer.NULL);
                    Signal.handle(signal, exit);
                    wereIgnored.add(name);
                }
            } catch (IllegalArgumentException e) {
                // -Xrs: the user takes the shutdown signals over; leave them.
            }
        }
        return wereIgnored;
    }
}
