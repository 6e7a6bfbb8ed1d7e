package dev.liveupdate.agent.engine;

import dev.liveupdate.luo.DeviceBusyException;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoException;
import dev.liveupdate.luo.LuoUnavailableException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Opens /dev/liveupdate once and keeps it for the life of the agent (the device is exclusive:
 * holding it is what makes this agent the node's only LUO user). EBUSY is retried with
 * exponential backoff; ENOENT means the node has no LUO, which is a fact, not an error.
 */
final class DeviceKeeper {
    private static final Logger LOG = Logger.getLogger(DeviceKeeper.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    enum Availability { NOT_TRIED, OPEN, ABSENT, BUSY, ERROR }

    private final KernelCalls calls;
    private final Path path;
    private final Clock clock;
    private LuoDevice device;
    private Availability availability = Availability.NOT_TRIED;
    private String problem;
    private Instant nextAttempt = Instant.MIN;
    private Duration backoff = FIRST_BACKOFF;
    private Instant openedAt;

    DeviceKeeper(KernelCalls calls, Path path, Clock clock) {
        this.calls = calls;
        this.path = path;
        this.clock = clock;
    }

    /** Tries to open when not open and the backoff allows. @return true when the device is open now */
    boolean ensureOpen() {
        if (device != null) {
            return true;
        }
        if (availability == Availability.ABSENT) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            return false;
        }
        try {
            device = LuoDevices.open(calls, path);
            availability = Availability.OPEN;
            openedAt = now;
            problem = null;
            LOG.info(() -> "opened " + path + ": generation " + device.generation());
            return true;
        } catch (LuoUnavailableException e) {
            availability = Availability.ABSENT;
            problem = e.getMessage();
            LOG.info(() -> "no live update on this node: " + e.getMessage());
        } catch (DeviceBusyException e) {
            availability = Availability.BUSY;
            problem = e.getMessage();
            scheduleRetry(now);
            LOG.warning(() -> e.getMessage() + "; retrying in " + backoff);
        } catch (LuoException e) {
            availability = Availability.ERROR;
            problem = e.getMessage();
            scheduleRetry(now);
            LOG.warning(() -> "cannot open " + path + ": " + e.getMessage() + "; retrying in " + backoff);
        }
        return false;
    }

    private void scheduleRetry(Instant now) {
        nextAttempt = now.plus(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    LuoDevice device() {
        return device;
    }

    Availability availability() {
        return availability;
    }

    String problem() {
        return problem;
    }

    Instant openedAt() {
        return openedAt;
    }

    /** Open, or known to be absent: the agent knows what the node can do. */
    boolean settled() {
        return availability == Availability.OPEN || availability == Availability.ABSENT;
    }

    void close() {
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
