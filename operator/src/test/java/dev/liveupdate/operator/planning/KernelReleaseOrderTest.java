package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelReleaseOrderTest {

    @Test
    void numbersCompareAsNumbers() {
        assertThat(KernelReleaseOrder.newer("7.10.0", "7.9.3")).isTrue();
        assertThat(KernelReleaseOrder.newer("7.2.0-12-amd64", "7.2.0-9-amd64")).isTrue();
        assertThat(KernelReleaseOrder.newer("7.3.0-sandbox", "7.2.0-sandbox")).isTrue();
        assertThat(KernelReleaseOrder.newer("7.2.0-sandbox", "7.3.0-sandbox")).isFalse();
        assertThat(KernelReleaseOrder.newer("7.2.0", "7.2.0")).isFalse();
        assertThat(KernelReleaseOrder.INSTANCE.compare("7.2.01", "7.2.1")).isZero();
    }

    @Test
    void sortsLikeSortDashV() {
        List<String> releases = new ArrayList<>(List.of("7.10.1-1-amd64", "6.19.0", "7.2.0-9-amd64", "7.2.0-12-amd64",
                "7.2.0", "7.2.0-1-cloud-amd64"));
        releases.sort(KernelReleaseOrder.INSTANCE);
        assertThat(releases).containsExactly("6.19.0", "7.2.0", "7.2.0-1-cloud-amd64", "7.2.0-9-amd64",
                "7.2.0-12-amd64", "7.10.1-1-amd64");
    }

    @Test
    void unknownReleasesAreNeverNewer() {
        assertThat(KernelReleaseOrder.newer(null, "7.2.0")).isFalse();
        assertThat(KernelReleaseOrder.newer("7.2.0", null)).isFalse();
    }
}
