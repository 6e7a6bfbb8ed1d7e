package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.Objects;

/** Assertions for scenarios (no test framework: the scenarios also run inside a bare guest). */
public final class Check {
    private Check() {}

    /** Something that may fail with an errno. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new ScenarioFailure(message);
        }
    }

    public static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new ScenarioFailure(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Runs {@code action} and requires it to fail with exactly {@code expected}. */
    public static ErrnoException errno(Errno expected, String what, Action action) {
        try {
            action.run();
        } catch (ErrnoException e) {
            if (!e.is(expected)) {
                throw new ScenarioFailure(what + ": expected " + expected + ", got " + e.errnoName() + " (" + e.getMessage() + ")");
            }
            return e;
        } catch (Exception e) {
            throw new ScenarioFailure(what + ": expected " + expected + ", got " + e);
        }
        throw new ScenarioFailure(what + ": expected " + expected + ", but it succeeded");
    }

    /** Runs {@code action} and requires it to throw {@code type} (not an errno). */
    public static <T extends Throwable> T throwsA(Class<T> type, String what, Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new ScenarioFailure(what + ": expected " + type.getSimpleName() + ", got " + t);
        }
        throw new ScenarioFailure(what + ": expected " + type.getSimpleName() + ", but it succeeded");
    }
}
