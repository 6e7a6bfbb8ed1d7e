package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's device plugin (squat/generic-device-plugin) behind {@code agent.device.access=resource}: rendered exactly
 * when the agent requests the resource, advertising exactly what the agent requests (resource name, device path) with
 * one unit per node, the image this project builds by default, least privilege, and accepted by a real API server.
 */
class HelmChartDevicePluginIT {
    static final String PROJECT_IMAGE = "liveupdate/generic-device-plugin";

    static HelmCli helm;
    static Path chart;

    @BeforeAll
    static void locate() {
        helm = HelmCli.locate();
        chart = RepoLayout.locate().chartDir();
    }

    @AfterAll
    static void cleanup() {
        TestCluster.deleteRecursively(helm.home());
    }

    static List<HasMetadata> render(Map<String, String> values) {
        return RenderedChart.render(helm, chart, values).objects();
    }

    /** What the plugin advertises and what the agent asks for, read back from the rendered objects. */
    record Wiring(DaemonSet plugin, Container pluginContainer, Map<String, String> args, Map<String, Object> device,
            Container agent) {
        String advertisedResource() {
            return args.get("--domain") + "/" + device.get("name");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups() {
            return (List<Map<String, Object>>) device.get("groups");
        }

        @SuppressWarnings("unchecked")
        List<String> devicePaths() {
            return groups().stream().flatMap(g -> ((List<Map<String, Object>>) g.get("paths")).stream())
                    .map(p -> (String) p.get("path")).toList();
        }

        /** The one extended resource the agent requests (its limits without cpu and memory), with its amount. */
        Map.Entry<String, Quantity> agentRequest() {
            List<Map.Entry<String, Quantity>> extended = agent.getResources().getLimits().entrySet().stream()
                    .filter(e -> e.getKey().contains("/")).toList();
            assertThat(extended).as("the agent requests exactly one extended resource").hasSize(1);
            return extended.get(0);
        }

        String agentDevicePath() {
            return agent.getEnv().stream().filter(e -> e.getName().equals("LIVEUPDATE_AGENT_DEVICE_PATH"))
                    .map(EnvVar::getValue).findFirst().orElseThrow();
        }
    }

    static Wiring wiring(List<HasMetadata> objects) {
        DaemonSet plugin = HelmChartIT.daemonSet(objects, "device-plugin");
        assertThat(plugin).as("the device plugin DaemonSet").isNotNull();
        Container c = single(plugin.getSpec().getTemplate().getSpec());
        assertThat(c.getCommand()).as("the image's entrypoint runs the plugin").isNullOrEmpty();
        List<String> list = c.getArgs();
        assertThat(list.size() % 2).as("flag/value pairs: %s", list).isZero();
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i += 2) {
            assertThat(list.get(i)).startsWith("--");
            assertThat(args.put(list.get(i), list.get(i + 1))).as("%s given twice", list.get(i)).isNull();
        }
        assertThat(args).containsKeys("--domain", "--device");
        @SuppressWarnings("unchecked")
        Map<String, Object> device = new KubernetesSerialization().unmarshal(args.get("--device"), Map.class);
        Container agent = HelmChartIT.container(HelmChartIT.agentDaemonSet(objects).getSpec().getTemplate().getSpec());
        return new Wiring(plugin, c, args, device, agent);
    }

    static Container single(PodSpec spec) {
        assertThat(spec.getContainers()).hasSize(1);
        assertThat(spec.getInitContainers()).isNullOrEmpty();
        return spec.getContainers().get(0);
    }

    @Test
    void byDefaultThePluginAdvertisesExactlyWhatTheAgentRequests() {
        Wiring w = wiring(render(Map.of()));

        // The agent asks for one unit of the resource the plugin advertises, for the device the agent opens.
        assertThat(w.agentRequest().getKey()).isEqualTo("liveupdate.dev/device").isEqualTo(w.advertisedResource());
        assertThat(w.agentRequest().getValue()).isEqualTo(new Quantity("1"));
        assertThat(w.args()).containsEntry("--domain", "liveupdate.dev").containsEntry("--log-level", "info");
        assertThat(w.device()).containsEntry("name", "device");
        assertThat(w.devicePaths()).containsExactly("/dev/liveupdate");
        assertThat(w.agentDevicePath()).as("the plugin creates the node at its host path in the agent's container")
                .isEqualTo("/dev/liveupdate");

        // One group of one unit: only one container per node can hold the device (the agent).
        assertThat(w.groups()).singleElement().satisfies(g -> assertThat(g).containsEntry("count", 1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> paths = (List<Map<String, Object>>) w.groups().get(0).get("paths");
        assertThat(paths).singleElement().satisfies(p -> assertThat(p).as("no mountPath: the same path as on the host")
                .containsOnlyKeys("path"));

        // The image hack/build-images.sh builds, at the version tools/versions.env pins (docs/images.md).
        assertThat(w.pluginContainer().getImage()).isEqualTo(PROJECT_IMAGE + ":" + pinnedPluginVersion());
    }

    /** DEVICE_PLUGIN_VERSION of tools/versions.env without its "v": the tag build-images.sh gives the plugin's image. */
    static String pinnedPluginVersion() {
        try {
            return Files.readAllLines(RepoLayout.locate().versionsFile()).stream()
                    .filter(l -> l.startsWith("DEVICE_PLUGIN_VERSION=")).map(l -> l.substring(l.indexOf('=') + 1).trim())
                    .map(v -> v.startsWith("v") ? v.substring(1) : v).findFirst()
                    .orElseThrow(() -> new AssertionError("tools/versions.env has no DEVICE_PLUGIN_VERSION"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aDigestPinsThePluginImage() {
        String digest = "sha256:" + "ab".repeat(32);
        Wiring w = wiring(render(Map.of("devicePlugin.image.digest", digest)));
        assertThat(w.pluginContainer().getImage()).isEqualTo(PROJECT_IMAGE + ":" + pinnedPluginVersion() + "@" + digest);
    }

    @Test
    void thePluginRunsWhereTheAgentsRunWithTheLeastPrivilegeItNeeds() {
        Wiring w = wiring(render(Map.of()));
        DaemonSet agentDs = HelmChartIT.agentDaemonSet(render(Map.of()));
        PodSpec pod = w.plugin().getSpec().getTemplate().getSpec();
        Container c = w.pluginContainer();

        // Distinct component: neither selector matches the other's pods.
        LabelSelector selector = w.plugin().getSpec().getSelector();
        Map<String, String> pluginPodLabels = w.plugin().getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> agentPodLabels = agentDs.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(selector.getMatchLabels()).containsEntry("app.kubernetes.io/component", "device-plugin");
        assertThat(pluginPodLabels).containsAllEntriesOf(selector.getMatchLabels())
                .containsEntry("app.kubernetes.io/part-of", "liveupdate").containsKey("helm.sh/chart");
        assertThat(agentPodLabels.entrySet()).as("the plugin's selector matches no agent pod")
                .doesNotContainAnyElementsOf(List.of(Map.entry("app.kubernetes.io/component", "device-plugin")));
        assertThat(pluginPodLabels.entrySet().containsAll(agentDs.getSpec().getSelector().getMatchLabels().entrySet()))
                .as("the agent's selector matches no plugin pod").isFalse();
        assertThat(w.plugin().getMetadata().getName()).isEqualTo("lu-liveupdate-operator-device-plugin")
                .isNotEqualTo(agentDs.getMetadata().getName());
        assertThat(w.plugin().getMetadata().getNamespace()).isEqualTo(RenderedChart.NS);

        // Every node, not evicted, no API access, nothing of the host but its two directories.
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getHostPID()).isNull();
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getHostIPC()).isNull();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        var sc = c.getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getRunAsUser()).as("creates its socket in the root-owned kubelet directory").isZero();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();

        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).hasSize(2);
        assertThat(hostPath(pod, c, "/var/lib/kubelet/device-plugins")).isEqualTo("/var/lib/kubelet/device-plugins");
        assertThat(mount(c, "/var/lib/kubelet/device-plugins").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(w.args()).containsEntry("--plugin-directory", "/var/lib/kubelet/device-plugins");
        assertThat(hostPath(pod, c, "/dev")).isEqualTo("/dev");
        assertThat(mount(c, "/dev").getReadOnly()).isTrue();
        // The runtime cannot create /dev/termination-log in the read-only host /dev: the container would not start.
        assertThat(c.getTerminationMessagePath()).isNotNull().doesNotStartWith("/dev/");

        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("10m")).containsEntry("memory", new Quantity("16Mi"));
        assertThat(c.getResources().getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("32Mi"));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    }

    @Test
    void nodeSelectorAndAffinityAreTheAgents() {
        List<HasMetadata> objects = render(Map.of("agent.nodeSelector.pool", "kvm",
                "agent.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "luo",
                "agent.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "Exists",
                "devicePlugin.priorityClassName", "luo-critical"));
        PodSpec plugin = wiring(objects).plugin().getSpec().getTemplate().getSpec();
        PodSpec agent = HelmChartIT.agentDaemonSet(objects).getSpec().getTemplate().getSpec();
        assertThat(plugin.getNodeSelector()).isEqualTo(Map.of("pool", "kvm")).isEqualTo(agent.getNodeSelector());
        assertThat(plugin.getAffinity()).isNotNull().isEqualTo(agent.getAffinity());
        assertThat(plugin.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getKey()).isEqualTo("luo");
        assertThat(plugin.getPriorityClassName()).isEqualTo("luo-critical");
    }

    static Stream<Arguments> agentsThatRequestNoResource() {
        return Stream.of(
                Arguments.of("privileged", Map.of("agent.device.access", "privileged")),
                Arguments.of("mountOnly", Map.of("agent.device.access", "mountOnly")),
                Arguments.of("simulated", Map.of("agent.rebootStrategy", "simulated")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agentsThatRequestNoResource")
    void noPluginWhereTheAgentRequestsNoDevice(String name, Map<String, String> values) {
        List<HasMetadata> objects = render(values);
        assertThat(HelmChartIT.daemonSet(objects, "device-plugin")).isNull();
        assertThat(objects).filteredOn(DaemonSet.class::isInstance).hasSize(1);
        Container agent = HelmChartIT.container(HelmChartIT.agentDaemonSet(objects).getSpec().getTemplate().getSpec());
        assertThat(agent.getResources().getLimits().keySet()).as("no extended resource").noneMatch(k -> k.contains("/"));
    }

    @Test
    void disabledPluginLeavesTheRequestToTheClustersOwnPlugin() {
        List<HasMetadata> objects = render(Map.of("devicePlugin.enabled", "false"));
        assertThat(HelmChartIT.daemonSet(objects, "device-plugin")).isNull();
        assertThat(objects).filteredOn(DaemonSet.class::isInstance).hasSize(1);
        Container agent = HelmChartIT.container(HelmChartIT.agentDaemonSet(objects).getSpec().getTemplate().getSpec());
        assertThat(agent.getResources().getLimits()).containsEntry("liveupdate.dev/device", new Quantity("1"));
    }

    @Test
    void aCustomResourceNameAndPathFlowIntoBoth() {
        Wiring w = wiring(render(Map.of("agent.device.resourceName", "example.com/luo", "agent.device.path", "/dev/luo0")));
        assertThat(w.agentRequest().getKey()).isEqualTo("example.com/luo").isEqualTo(w.advertisedResource());
        assertThat(w.args()).containsEntry("--domain", "example.com");
        assertThat(w.device()).containsEntry("name", "luo");
        assertThat(w.devicePaths()).containsExactly("/dev/luo0");
        assertThat(w.agentDevicePath()).isEqualTo("/dev/luo0");
        assertThat(w.agent().getResources().getLimits()).doesNotContainKey("liveupdate.dev/device");
    }

    @Test
    void imageKubeletDirAndLogLevelAreValues() {
        Wiring w = wiring(render(Map.of("devicePlugin.image.digest", "", "devicePlugin.image.repository", "registry.example/gdp",
                "devicePlugin.image.tag", "0.3.0", "devicePlugin.kubeletDir", "/var/lib/k0s/kubelet", "devicePlugin.logLevel", "debug")));
        assertThat(w.pluginContainer().getImage()).isEqualTo("registry.example/gdp:0.3.0");
        assertThat(w.args()).containsEntry("--log-level", "debug");
        PodSpec pod = w.plugin().getSpec().getTemplate().getSpec();
        assertThat(hostPath(pod, w.pluginContainer(), "/var/lib/kubelet/device-plugins")).isEqualTo("/var/lib/k0s/kubelet/device-plugins");
    }

    /** The plugin takes only a lower-case name of two characters or more after the slash; refused before it crash-loops. */
    @Test
    void aResourceNameThePluginCannotServeIsRefused() {
        HelmCli.Result r = helm.template(chart, RenderedChart.RELEASE, RenderedChart.NS, Map.of("agent.device.resourceName", "example.com/Luo"), false);
        assertThat(r.ok()).isFalse();
        assertThat(r.stderr()).contains("agent.device.resourceName: the device plugin needs a name after the slash");
        // Without the chart's plugin the name is the cluster's business.
        assertThat(helm.template(chart, RenderedChart.RELEASE, RenderedChart.NS,
                Map.of("agent.device.resourceName", "example.com/Luo", "devicePlugin.enabled", "false"), false).ok()).isTrue();
    }

    /** A real API server validates the plugin DaemonSet (server-side dry run), default and customised. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginValueSets")
    void theApiServerAcceptsThePlugin(String name, Map<String, String> values) {
        TestCluster cluster = SharedTestCluster.get();
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(RenderedChart.NS).endMetadata().build())
                .fieldManager("chart-test").forceConflicts().serverSideApply();
        DaemonSet plugin = wiring(render(values)).plugin();
        DaemonSet accepted = cluster.client().resource(plugin).inNamespace(RenderedChart.NS).dryRun().create();
        assertThat(accepted.getMetadata().getName()).isEqualTo(plugin.getMetadata().getName());
        Container stored = accepted.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(stored.getArgs()).isEqualTo(plugin.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertThat(stored.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(accepted.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("system-node-critical");
    }

    static Stream<Arguments> pluginValueSets() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("custom", Map.of("agent.device.resourceName", "example.com/luo", "agent.nodeSelector.pool", "kvm",
                        "devicePlugin.kubeletDir", "/var/lib/k0s/kubelet")));
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + path));
    }

    /** The host path of the hostPath volume mounted at mountPath (type Directory: it must exist). */
    private static String hostPath(PodSpec pod, Container c, String mountPath) {
        String volume = mount(c, mountPath).getName();
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElseThrow();
        assertThat(v.getHostPath()).as("volume %s is a hostPath", volume).isNotNull();
        assertThat(v.getHostPath().getType()).isEqualTo("Directory");
        return v.getHostPath().getPath();
    }
}
