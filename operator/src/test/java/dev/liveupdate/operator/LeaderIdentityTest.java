package dev.liveupdate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderIdentityTest {

    @Test
    void theConfiguredNameWinsOverTheHostName() {
        assertThat(LeaderIdentity.resolve(Optional.of("operator-2"), "shared-host")).isEqualTo("operator-2");
    }

    @Test
    void withoutAConfiguredNameThePodsHostNameIsUsed() {
        assertThat(LeaderIdentity.resolve(Optional.empty(), "liveupdate-operator-7d9f-abcde"))
                .isEqualTo("liveupdate-operator-7d9f-abcde");
        assertThat(LeaderIdentity.resolve(Optional.of(" "), "pod-a")).isEqualTo("pod-a");
    }

    @Test
    void withNeitherEachReplicaGetsADifferentRandomName() {
        String a = LeaderIdentity.resolve(Optional.empty(), null);
        String b = LeaderIdentity.resolve(Optional.empty(), "");
        assertThat(a).isNotBlank().isNotEqualTo(b);
    }
}
