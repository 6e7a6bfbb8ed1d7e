package dev.liveupdate.agent.k8s;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between retries of a failing API call: exponential from {@code base} to {@code cap} with full jitter, so
 * 5,000 agents that lost the API server together do not come back in lock-step, and at least the server's
 * Retry-After when it sent one (429 from API priority and fairness, 503/504 when overloaded). One instance per
 * retried call site; {@link #reset()} after a success.
 */
public final class RetryBackoff {
    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private int failures;

    public RetryBackoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** 1 s doubling to 30 s, jittered with {@link Math#random()}. */
    public static RetryBackoff standard() {
        return new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Math::random);
    }

    /** The delay before the next try after {@code failure}; each call counts one more failure. */
    public Duration next(Throwable failure) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures, 20));
        failures++;
        // Full jitter over [ceiling/2, ceiling]: never hammer sooner than half the exponential step.
        long jittered = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        Duration delay = Duration.ofMillis(Math.max(1, jittered));
        Duration serverSays = retryAfter(failure);
        return serverSays.compareTo(delay) > 0 ? serverSays : delay;
    }

    public void reset() {
        failures = 0;
    }

    /** The Retry-After the API server sent with a 429 or 5xx (in the Status details), or zero. */
    static Duration retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && (k.getCode() == 429 || k.getCode() >= 500)) {
                Status status = k.getStatus();
                Integer seconds = status == null || status.getDetails() == null ? null
                        : status.getDetails().getRetryAfterSeconds();
                return seconds == null || seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
            }
        }
        return Duration.ZERO;
    }
}
