package dev.liveupdate.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private static final RuntimeException PLAIN = new RuntimeException("connection refused");

    @Test
    void growsExponentiallyToTheCapWithinTheJitterBand() {
        RetryBackoff lowest = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
        RetryBackoff highest = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);
        List<Long> low = new ArrayList<>();
        List<Long> high = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            low.add(lowest.next(PLAIN).toMillis());
            high.add(highest.next(PLAIN).toMillis());
        }
        assertThat(low).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L);
        assertThat(high).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(30_000L));
        assertThat(high.get(7)).isGreaterThan(29_000L);
    }

    @Test
    void jitterSpreadsAgentsThatFailedTogether() {
        Random seeded = new Random(42);
        List<Long> firstRetries = new ArrayList<>();
        for (int agent = 0; agent < 50; agent++) {
            RetryBackoff b = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), seeded::nextDouble);
            b.next(PLAIN);
            b.next(PLAIN);
            firstRetries.add(b.next(PLAIN).toMillis()); // third step: 2-4 s
        }
        assertThat(firstRetries).allSatisfy(ms -> assertThat(ms).isBetween(2000L, 4000L));
        assertThat(firstRetries.stream().distinct().count()).isGreaterThan(40);
    }

    @Test
    void honoursRetryAfterOn429And5xxOnly() {
        RetryBackoff b = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
        assertThat(b.next(withRetryAfter(429, 17))).isEqualTo(Duration.ofSeconds(17));
        assertThat(b.next(new IllegalStateException("wrapped", withRetryAfter(503, 9)))).isEqualTo(Duration.ofSeconds(9));
        assertThat(b.next(withRetryAfter(409, 60))).isEqualTo(Duration.ofSeconds(2)); // a conflict carries no advice
        b.reset();
        assertThat(b.next(PLAIN)).isEqualTo(Duration.ofMillis(500));
    }

    private static KubernetesClientException withRetryAfter(int code, int seconds) {
        Status status = new StatusBuilder().withCode(code).withNewDetails().withRetryAfterSeconds(seconds).endDetails().build();
        return new KubernetesClientException(status);
    }
}
