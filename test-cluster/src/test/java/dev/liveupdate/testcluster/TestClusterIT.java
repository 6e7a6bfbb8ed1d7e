package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: starts, serves, hands out a working kubeconfig, and stops every process it started. */
class TestClusterIT {

    @Test
    void startsServesAndStopsEverything() throws Exception {
        List<ProcessHandle> children;
        TestCluster cluster = TestCluster.builder().start();
        try {
            System.out.println("test-cluster: control plane (etcd, kube-apiserver, kube-controller-manager) ready in "
                    + cluster.startupTime().toMillis() + " ms");
            KubernetesClient admin = cluster.client();
            assertThat(admin.getKubernetesVersion().getGitVersion())
                    .isEqualTo(cluster.binaries().versions().kubernetes());

            // The kubeconfig works on its own (what kubectl, helm and processes under test use).
            try (KubernetesClient fromFile = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(cluster.kubeconfig().toFile())).build()) {
                fromFile.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("harness").endMetadata().build())
                        .create();
                assertThat(admin.namespaces().withName("harness").get()).isNotNull();
            }
            // The controller-manager runs: the serviceaccount controller gives the new namespace its "default" SA.
            Poll.until("default ServiceAccount in namespace harness", Duration.ofSeconds(60),
                    () -> admin.serviceAccounts().inNamespace("harness").withName("default").get() != null);

            assertThat(cluster.processes()).extracting(ManagedProcess::name)
                    .containsExactly("etcd", "kube-apiserver", "kube-controller-manager");
            children = cluster.processes().stream().map(p -> ProcessHandle.of(p.pid()).orElseThrow()).toList();
            assertThat(children).allMatch(ProcessHandle::isAlive);
            assertThat(Files.exists(cluster.workDir())).isTrue();
        } finally {
            cluster.close();
        }
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(Files.exists(cluster.workDir())).isFalse();
    }
}
