package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlockerNamespacesTest {

    @Test
    void unsetOrBlankMeansEveryNamespace() {
        assertThat(BlockerNamespaces.of(Optional.empty()).everywhere()).isTrue();
        assertThat(BlockerNamespaces.of(Optional.of(List.of(" ", ""))).everywhere()).isTrue();
        BlockerNamespaces.Lookup any = BlockerNamespaces.EVERYWHERE.lookup(null);
        assertThat(any.anyNamespace()).isTrue();
        assertThat(any.namespaces()).isEmpty();
        assertThat(any.outside()).isEmpty();
        BlockerNamespaces.Lookup named = BlockerNamespaces.EVERYWHERE.lookup(List.of("vms", "backup"));
        assertThat(named.anyNamespace()).isFalse();
        assertThat(named.namespaces()).containsExactly("vms", "backup");
        assertThat(named.outside()).isEmpty();
    }

    @Test
    void theSettingIsTrimmedAndDeduplicatedInOrder() {
        BlockerNamespaces s = BlockerNamespaces.of(Optional.of(List.of(" vms", "backup", "vms ", "")));
        assertThat(s.everywhere()).isFalse();
        assertThat(s.allowed()).containsExactly("vms", "backup");
    }

    @Test
    void aBlockerWithoutNamespacesIsLookedForInTheAllowedOnesOnly() {
        BlockerNamespaces s = BlockerNamespaces.of(Optional.of(List.of("vms", "backup")));
        BlockerNamespaces.Lookup l = s.lookup(List.of());
        assertThat(l.anyNamespace()).as("never a cluster-wide list: the Roles do not allow it").isFalse();
        assertThat(l.namespaces()).containsExactly("vms", "backup");
        assertThat(l.outside()).isEmpty();
    }

    @Test
    void aBlockerNamespaceOutsideTheSettingIsReportedNotSilentlySkipped() {
        BlockerNamespaces s = BlockerNamespaces.of(Optional.of(List.of("vms")));
        BlockerNamespaces.Lookup l = s.lookup(List.of("vms", "kube-system", "vms"));
        assertThat(l.namespaces()).containsExactly("vms");
        assertThat(l.outside()).containsExactly("kube-system");
    }
}
