package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chart rendered by the pinned helm (`helm template`), parsed into Fabric8 objects. */
record RenderedChart(List<HasMetadata> objects) {
    static final String RELEASE = "lu";
    static final String NS = "liveupdate-system";

    static RenderedChart render(HelmCli helm, Path chart, Map<String, String> values) {
        String yaml = helm.render(chart, RELEASE, NS, values, false);
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(serialization.unmarshal(doc));
            }
        }
        return new RenderedChart(objects);
    }

    <T extends HasMetadata> T only(Class<T> type) {
        List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matches).as("exactly one %s", type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }

    /** The agent's DaemonSet (the chart's device plugin, when rendered, is another DaemonSet). */
    DaemonSet agentDaemonSet() {
        List<DaemonSet> agents = objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .filter(d -> "agent".equals(d.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
        assertThat(agents).as("exactly one agent DaemonSet").hasSize(1);
        return agents.get(0);
    }

    PodSpec agentPod() {
        return agentDaemonSet().getSpec().getTemplate().getSpec();
    }

    PodSpec operatorPod() {
        return only(Deployment.class).getSpec().getTemplate().getSpec();
    }

    Container agent() {
        return single(agentPod());
    }

    Container operator() {
        return single(operatorPod());
    }

    static Container single(PodSpec spec) {
        assertThat(spec.getContainers()).hasSize(1);
        return spec.getContainers().get(0);
    }

    /** Literal env values by name (downward-API entries map to "fieldRef:<path>"). */
    static Map<String, String> env(Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            String value = e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                    ? "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath() : e.getValue();
            assertThat(out.put(e.getName(), value)).as("%s is set twice in container %s", e.getName(), c.getName()).isNull();
        }
        return out;
    }
}
