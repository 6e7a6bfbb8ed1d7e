package dev.liveupdate.testcluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the timeout message says what was awaited and the last problem. */
public final class Poll {
    private Poll() {
    }

    /**
     * Calls {@code probe} every {@code interval} until it returns a present value. Exceptions from the probe count
     * as "not yet" and the last one is reported on timeout. {@code abort} is checked each round (e.g. "the process died")
     * and ends the wait early with its message.
     */
    public static <T> T until(String what, Duration timeout, Duration interval, Callable<Optional<T>> probe,
                              Supplier<Optional<String>> abort) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            Optional<String> aborted = abort.get();
            if (aborted.isPresent()) {
                throw new IllegalStateException("gave up waiting for " + what + ": " + aborted.get(), last);
            }
            try {
                Optional<T> value = probe.call();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + "s waiting for " + what
                        + (last != null ? " (last error: " + last + ")" : ""), last);
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /** {@link #until} for a boolean condition without an abort check. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, Duration.ofMillis(100), () -> Boolean.TRUE.equals(condition.call()) ? Optional.of(true) : Optional.empty(),
                Optional::empty);
    }
}
