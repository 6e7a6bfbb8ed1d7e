package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the binaries: same cache path as hack/controlplane-env.sh, and a failure that says how to install them. */
class ControlPlaneBinariesTest {

    @Test
    void parsesVersionsLikeTheScripts() {
        ControlPlaneVersions v = ControlPlaneVersions.parse("""
                # comment
                KUBERNETES_VERSION=v1.34.4
                ETCD_VERSION = v3.6.16
                HELM_VERSION=v3.19.5
                """, "test");
        assertThat(v).isEqualTo(new ControlPlaneVersions("v1.34.4", "v3.6.16", "v3.19.5"));
        assertThat(v.cacheKey()).isEqualTo("kube-v1.34.4_etcd-v3.6.16_helm-v3.19.5");
    }

    @Test
    void missingPinIsAnError() {
        assertThatThrownBy(() -> ControlPlaneVersions.parse("KUBERNETES_VERSION=v1.34.4\n", "versions.env"))
                .hasMessageContaining("must set KUBERNETES_VERSION, ETCD_VERSION and HELM_VERSION");
    }

    @Test
    void packagedVersionsAreTheRepositoryOnes() throws Exception {
        // The jar carries a copy of tools/versions.env (for use outside the repository); both must say the same.
        try (var in = ControlPlaneVersions.class.getResourceAsStream("versions.env")) {
            assertThat(in).as("versions.env packaged in the jar").isNotNull();
            ControlPlaneVersions packaged = ControlPlaneVersions.parse(new String(in.readAllBytes()), "jar");
            assertThat(packaged).isEqualTo(ControlPlaneVersions.pinned());
        }
    }

    @Test
    void aChosenKubernetesReleaseReplacesOnlyThePinnedKubernetes() {
        // LIVEUPDATE_KUBERNETES_VERSION, as hack/controlplane-env.sh reads it: etcd and helm stay pinned.
        ControlPlaneVersions pinned = new ControlPlaneVersions("v1.34.4", "v3.6.16", "v3.19.5");
        assertThat(pinned.withKubernetes("v1.30.14")).isEqualTo(new ControlPlaneVersions("v1.30.14", "v3.6.16", "v3.19.5"));
        assertThat(pinned.withKubernetes("v1.30.14").cacheKey()).isEqualTo("kube-v1.30.14_etcd-v3.6.16_helm-v3.19.5");
        assertThat(pinned.withKubernetes(null)).isEqualTo(pinned);
        assertThat(pinned.withKubernetes(" ")).isEqualTo(pinned);
    }

    @Test
    void aMalformedKubernetesChoiceIsRefusedWithTheFix() {
        ControlPlaneVersions pinned = new ControlPlaneVersions("v1.34.4", "v3.6.16", "v3.19.5");
        assertThatThrownBy(() -> pinned.withKubernetes("1.30"))
                .hasMessageContaining("LIVEUPDATE_KUBERNETES_VERSION='1.30' is not a Kubernetes release like v1.37.2")
                .hasMessageContaining("unset it to use v1.34.4");
    }

    @Test
    void defaultDirectoryMatchesTheInstallScript() {
        ControlPlaneVersions v = new ControlPlaneVersions("v1.34.4", "v3.6.16", "v3.19.5");
        Path dir = ControlPlaneBinaries.defaultDirectory(v);
        assertThat(dir.toString()).endsWith("/controlplane/kube-v1.34.4_etcd-v3.6.16_helm-v3.19.5/bin");
        if (System.getenv("LIVEUPDATE_CACHE") == null) {
            assertThat(dir).startsWith(Path.of(System.getProperty("user.home"), ".cache", "liveupdate-operator"));
        }
    }

    @Test
    void missingBinariesFailWithTheInstallHint(@TempDir Path empty) throws Exception {
        Files.writeString(empty.resolve("etcd"), "");
        String old = System.getProperty(ControlPlaneBinaries.BIN_PROPERTY);
        System.setProperty(ControlPlaneBinaries.BIN_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(ControlPlaneBinaries::locate)
                    .isInstanceOf(ControlPlaneMissingException.class)
                    .hasMessageContaining("missing in " + empty)
                    .hasMessageContaining("etcd, kube-apiserver, kube-controller-manager, helm")
                    .hasMessageContaining("bash hack/install-controlplane.sh");
        } finally {
            if (old == null) {
                System.clearProperty(ControlPlaneBinaries.BIN_PROPERTY);
            } else {
                System.setProperty(ControlPlaneBinaries.BIN_PROPERTY, old);
            }
        }
    }

    @Test
    void agentPodNamesAreValid() {
        assertThat(AgentIdentities.podName("agent", "Node_1")).isEqualTo("agent-node-1");
        assertThat(AgentIdentities.podName("a".repeat(40), "b".repeat(40))).hasSize(63);
    }
}
