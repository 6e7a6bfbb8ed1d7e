package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Installs the repository's Helm chart into a {@link TestCluster} the way `helm template --include-crds | kubectl
 * apply --server-side` would: CRDs, RBAC, the agent admission policy, the operator Deployment and agent DaemonSet.
 * No kubelet runs the workloads; tests start the operator and agents as processes with their own credentials.
 */
public final class ChartInstaller {
    private final TestCluster cluster;
    private final Path chart;

    public ChartInstaller(TestCluster cluster) {
        this(cluster, RepoLayout.locate().chartDir());
    }

    public ChartInstaller(TestCluster cluster, Path chart) {
        this.cluster = cluster;
        this.chart = chart;
    }

    /** Renders the chart with these --set values and applies every object; returns what the server stored. */
    public List<HasMetadata> install(String release, String namespace, Map<String, String> values) {
        String yaml = cluster.helm().render(chart, release, namespace, values, true);
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .fieldManager(ManifestApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
        return cluster.manifests().applyYaml(yaml);
    }
}
