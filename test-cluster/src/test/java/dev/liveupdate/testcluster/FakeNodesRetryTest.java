package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FakeNodesRetryTest {
    private static KubernetesClientException status(int code) {
        return new KubernetesClientException("test", code, null);
    }

    @Test
    void aLostRaceIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        String result = FakeNodes.retryOnConflict(() -> {
            if (calls.incrementAndGet() < 3) {
                throw status(409);
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherErrorsAndEndlessConflictsSurface() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> FakeNodes.retryOnConflict(() -> {
            calls.incrementAndGet();
            throw status(500);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(calls).as("no retry of a 500").hasValue(1);
        calls.set(0);
        assertThatThrownBy(() -> FakeNodes.retryOnConflict(() -> {
            calls.incrementAndGet();
            throw status(409);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(calls).hasValue(10);
    }
}
