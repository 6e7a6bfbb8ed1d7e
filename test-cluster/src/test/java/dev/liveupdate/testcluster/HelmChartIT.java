package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart with the pinned helm: lint, the rendered objects that matter for safety, and values the schema rejects. */
class HelmChartIT {
    static final String NS = "liveupdate-system";
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
        String yaml = helm.render(chart, "lu", NS, values, false);
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(serialization.unmarshal(doc));
            }
        }
        return objects;
    }

    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matches).as("exactly one %s", type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }

    /** The DaemonSet of one component (agent, device-plugin), by its component label; null when not rendered. */
    static DaemonSet daemonSet(List<HasMetadata> objects, String component) {
        List<DaemonSet> matches = objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .filter(d -> component.equals(d.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
        assertThat(matches).as("at most one %s DaemonSet", component).hasSizeLessThanOrEqualTo(1);
        return matches.isEmpty() ? null : matches.get(0);
    }

    static DaemonSet agentDaemonSet(List<HasMetadata> objects) {
        DaemonSet ds = daemonSet(objects, "agent");
        assertThat(ds).as("the agent DaemonSet").isNotNull();
        return ds;
    }

    static Container container(PodSpec spec) {
        assertThat(spec.getContainers()).hasSize(1);
        return spec.getContainers().get(0);
    }

    @Test
    void lintPassesStrictly() {
        for (Map<String, String> values : List.of(
                Map.<String, String>of(),
                Map.of("metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true"),
                Map.of("agent.rebootStrategy", "simulated"),
                Map.of("agent.device.access", "privileged", "operator.leaderElection.enabled", "false"),
                Map.of("agent.device.access", "mountOnly", "agent.kernelDirs", "{/boot,/var/lib/kernels}",
                        "agent.socket.allowedGids", "{2000}", "agent.socket.group", "2000"),
                Map.of("devicePlugin.enabled", "false"),
                Map.of("agent.device.resourceName", "example.com/luo", "devicePlugin.image.digest", "",
                        "devicePlugin.kubeletDir", "/var/lib/k0s/kubelet"))) {
            HelmCli.Result r = helm.lint(chart, values);
            assertThat(r.ok()).as("helm lint --strict %s:%n%s%s", values, r.stdout(), r.stderr()).isTrue();
        }
    }

    @Test
    void agentDaemonSetHasExactlyTheKernelPrivilegesItNeeds() {
        DaemonSet ds = agentDaemonSet(render(Map.of()));
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container agent = container(pod);

        // One agent per node, replaced only by the operator, only where no plan needs it (never two holders of
        // /dev/liveupdate, never an agent holding a plan's sessions): agentUpdateStrategyNeverSurgesAndIsAValue.
        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getTolerations()).anyMatch(t -> "Exists".equals(t.getOperator()) && t.getKey() == null && t.getEffect() == null);
        assertThat(pod.getHostPID()).as("reboot(KEXEC) works only in the host PID namespace").isTrue();
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getHostIPC()).isNull();

        // No device mount with a device plugin (it creates the node); /boot read-only under the host root; the socket
        // and state directories. HelmChartConfigIT checks that these agree with what the agent is told.
        assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().startsWith("/dev"));
        assertThat(mount(agent, "/host/boot").getReadOnly()).isTrue();
        assertThat(mount(agent, "/host/boot").getMountPropagation()).isEqualTo("HostToContainer");
        assertThat(hostPath(pod, agent, "/host/boot", "/boot")).isEqualTo("DirectoryOrCreate");
        assertThat(hostPath(pod, agent, "/run/liveupdate", "/run/liveupdate")).isEqualTo("DirectoryOrCreate");
        assertThat(hostPath(pod, agent, "/var/lib/liveupdate", "/var/lib/liveupdate")).isEqualTo("DirectoryOrCreate");
        // The kubelet's pod directories, read-only: the agent tells a deleted pod (its files are released) from one
        // the kubelet has not restarted yet.
        assertThat(hostPath(pod, agent, "/var/lib/kubelet/pods", "/var/lib/kubelet/pods")).isEqualTo("DirectoryOrCreate");
        assertThat(mount(agent, "/var/lib/kubelet/pods").getReadOnly()).isTrue();
        // The four above and the kubelet's seccomp directory, which only the profile's init container mounts.
        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).hasSize(5);
        assertThat(agent.getVolumeMounts()).noneMatch(m -> m.getName().equals("kubelet-seccomp"));
        assertThat(agent.getResources().getLimits()).containsEntry("liveupdate.dev/device", new Quantity("1"));

        // Capabilities: drop all, add SYS_BOOT only; not privileged; read-only root; no escalation.
        var sc = agent.getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).containsExactly("SYS_BOOT");
        // RuntimeDefault denies kexec_file_load and reboot: the chart's own profile allows those two on top of it.
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("Localhost");
        assertThat(sc.getSeccompProfile().getLocalhostProfile()).isEqualTo("liveupdate/agent-v1.json");

        // The node name from the downward API; health and metrics on 8081.
        EnvVar nodeName = agent.getEnv().stream().filter(e -> e.getName().equals("LIVEUPDATE_AGENT_NODE_NAME")).findFirst().orElseThrow();
        assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        assertThat(agent.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8081));
        assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    }

    @Test
    void directAgentRunsUnderTheChartsSeccompProfileInstalledBeforeIt() {
        List<HasMetadata> objects = render(Map.of());
        PodSpec pod = agentDaemonSet(objects).getSpec().getTemplate().getSpec();
        Container installer = pod.getInitContainers().stream().filter(c -> c.getName().equals("install-seccomp-profile"))
                .findFirst().orElseThrow();
        // It writes the profile where the kubelet resolves Localhost profiles, atomically (a rename).
        assertThat(hostPath(pod, installer, "/kubelet-seccomp", "/var/lib/kubelet/seccomp")).isEqualTo("DirectoryOrCreate");
        assertThat(String.join(" ", installer.getCommand())).contains("/kubelet-seccomp/liveupdate/agent-v1.json", "mv -f");
        assertThat(installer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(installer.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(installer.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(installer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

        // The ConfigMap carries the chart's file unchanged: kexec_file_load and reboot allowed, kexec_load not.
        var profile = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.ConfigMap)
                .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("lu-liveupdate-operator-agent-seccomp")).findFirst().orElseThrow();
        String json = profile.getData().get("agent-seccomp.json");
        assertThat(AgentSeccompProfile.parse(json).allowed()).contains("kexec_file_load", "reboot").doesNotContain("kexec_load");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap() == null ? null : v.getConfigMap().getName())
                .isEqualTo("lu-liveupdate-operator-agent-seccomp"));

        // Without the chart's profile, direct runs Unconfined (the admin installs a profile and names it instead).
        List<HasMetadata> without = render(Map.of("agent.seccomp.install", "false"));
        PodSpec plain = agentDaemonSet(without).getSpec().getTemplate().getSpec();
        assertThat(plain.getInitContainers()).isNullOrEmpty();
        assertThat(container(plain).getSecurityContext().getSeccompProfile().getType()).isEqualTo("Unconfined");
        assertThat(without).noneMatch(o -> o.getMetadata().getName().endsWith("-agent-seccomp"));
    }

    @Test
    void aSimulatedAgentCanOptIntoTheChartsProfile() {
        PodSpec rd = agentDaemonSet(render(Map.of("agent.rebootStrategy", "simulated"))).getSpec().getTemplate().getSpec();
        assertThat(rd.getInitContainers()).as("RuntimeDefault needs nothing installed").isNullOrEmpty();
        PodSpec pod = agentDaemonSet(render(Map.of("agent.rebootStrategy", "simulated", "agent.seccompProfile.type", "Localhost",
                "agent.seccompProfile.localhostProfile", "liveupdate/agent-v1.json", "agent.seccomp.kubeletDir", "/data/kubelet")))
                .getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("install-seccomp-profile");
        assertThat(container(pod).getSecurityContext().getSeccompProfile().getLocalhostProfile()).isEqualTo("liveupdate/agent-v1.json");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getHostPath() == null ? null : v.getHostPath().getPath())
                .isEqualTo("/data/kubelet/seccomp"));
    }

    @Test
    void simulatedAgentGetsNoKernelPrivileges() {
        PodSpec pod = agentDaemonSet(render(Map.of("agent.rebootStrategy", "simulated"))).getSpec().getTemplate().getSpec();
        Container agent = container(pod);
        // hostPID even without kexec: the socket tells pods apart by the peer's pid -> cgroup -> pod UID.
        assertThat(pod.getHostPID()).isTrue();
        assertThat(agent.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(agent.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().startsWith("/dev"));
        assertThat(agent.getResources().getLimits()).doesNotContainKey("liveupdate.dev/device");
    }

    @Test
    void privilegedAccessIsExplicit() {
        PodSpec pod = agentDaemonSet(render(Map.of("agent.device.access", "privileged"))).getSpec().getTemplate().getSpec();
        Container agent = container(pod);
        assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
        assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isNull();
        assertThat(agent.getResources().getLimits()).doesNotContainKey("liveupdate.dev/device");
        // The host's /dev, read-only: where the device is missing the agent reports capable=false, abi None.
        assertThat(hostPath(pod, agent, "/host/dev", "/dev")).isEqualTo("Directory");
        assertThat(mount(agent, "/host/dev").getReadOnly()).isTrue();
        assertThat(mount(agent, "/host/dev").getRecursiveReadOnly()).isEqualTo("IfPossible");
    }

    @Test
    void mountOnlyMountsTheHostDevAndNothingMore() {
        PodSpec pod = agentDaemonSet(render(Map.of("agent.device.access", "mountOnly"))).getSpec().getTemplate().getSpec();
        Container agent = container(pod);
        assertThat(agent.getSecurityContext().getPrivileged()).isFalse();
        assertThat(agent.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_BOOT");
        assertThat(agent.getResources().getLimits()).doesNotContainKey("liveupdate.dev/device");
        assertThat(hostPath(pod, agent, "/host/dev", "/dev")).isEqualTo("Directory");
        assertThat(mount(agent, "/host/dev").getReadOnly()).isTrue();
        assertThat(mount(agent, "/host/dev").getRecursiveReadOnly()).isEqualTo("IfPossible");
    }

    @Test
    void operatorDeploymentIsHardened() {
        Deployment d = only(render(Map.of()), Deployment.class);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container op = container(pod);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(op.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(op.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(op.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(op.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(op.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(op.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(op.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(op.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(op.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(op.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(op.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getHostPID()).isNull();
        assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null);
    }

    @Test
    void noRbacRuleHasAWildcard() {
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata o : render(Map.of())) {
            if (o instanceof ClusterRole cr) {
                rules.addAll(cr.getRules());
            } else if (o instanceof Role r) {
                rules.addAll(r.getRules());
            }
        }
        assertThat(rules).isNotEmpty();
        for (PolicyRule rule : rules) {
            List<String> all = Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames(),
                    rule.getNonResourceURLs()).filter(l -> l != null).flatMap(List::stream).toList();
            assertThat(all).as("rule %s", rule).noneMatch(s -> s.contains("*"));
        }
    }

    @Test
    void rbacGrantsWhatEachComponentNeeds() {
        List<HasMetadata> objects = render(Map.of());
        Map<String, Set<String>> operator = grants(objects, "lu-liveupdate-operator-operator");
        assertThat(operator).containsEntry("liveupdate.dev/liveupdates", Set.of("get", "list", "watch", "update", "patch"))
                .containsEntry("liveupdate.dev/liveupdates/status", Set.of("get", "update", "patch"))
                .containsEntry("liveupdate.dev/liveupdates/finalizers", Set.of("update"))
                .containsEntry("liveupdate.dev/liveupdatenodes", Set.of("get", "list", "watch", "update", "patch"))
                .containsEntry("/nodes", Set.of("get", "list", "watch", "patch"))
                .containsEntry("/pods", Set.of("list"))
                .containsEntry("/events", Set.of("create", "patch"))
                .doesNotContainKey("liveupdate.dev/liveupdatenodes/status");
        Role leases = named(objects, Role.class, "lu-liveupdate-operator-operator-leader-election");
        assertThat(leases.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(leases.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(r.getResources()).containsExactly("leases");
        });

        // Agent upgrades: a Role in the release namespace only; deleting pods is all it writes.
        Role rollout = named(objects, Role.class, "lu-liveupdate-operator-operator-agent-rollout");
        assertThat(rollout.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(rollout.getRules().stream().collect(Collectors.toMap(
                r -> String.join(",", r.getApiGroups()) + "/" + String.join(",", r.getResources()),
                r -> Set.copyOf(r.getVerbs()))))
                .containsOnly(Map.entry("apps/daemonsets", Set.of("get", "list", "watch")),
                        Map.entry("apps/controllerrevisions", Set.of("list", "watch")),
                        Map.entry("/pods", Set.of("list", "watch", "delete")));
        RoleBinding rolloutBinding = named(objects, RoleBinding.class, "lu-liveupdate-operator-operator-agent-rollout");
        assertThat(rolloutBinding.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(rolloutBinding.getRoleRef().getName()).isEqualTo(rollout.getMetadata().getName());
        assertThat(rolloutBinding.getSubjects()).singleElement()
                .satisfies(sub -> assertThat(sub.getName()).isEqualTo("lu-liveupdate-operator-operator"));
        assertThat(operator).as("the ClusterRole lets the operator delete no pod and read no DaemonSet")
                .doesNotContainKey("apps/daemonsets").doesNotContainEntry("/pods", Set.of("list", "watch", "delete"));

        Map<String, Set<String>> agent = grants(objects, "lu-liveupdate-operator-agent");
        assertThat(agent).containsEntry("liveupdate.dev/liveupdatenodes", Set.of("get", "list", "watch", "create"))
                .containsEntry("liveupdate.dev/liveupdatenodes/status", Set.of("get", "update", "patch"))
                .containsEntry("/nodes", Set.of("get"))
                // get only: the plan check before a prepare and a kexec (invariant 8); no list/watch, no writes
                .containsEntry("liveupdate.dev/liveupdates", Set.of("get"))
                .doesNotContainKey("/events")
                .doesNotContainKey("events.k8s.io/events")
                .doesNotContainKey("liveupdate.dev/liveupdates/status")
                .doesNotContainKey("/pods")
                .doesNotContainKey("/secrets");
    }

    @Test
    void agentEventsGoToDefaultOnly() {
        // The API server takes Events about cluster-scoped objects (the LiveUpdateNode) only in "default".
        List<HasMetadata> objects = render(Map.of());
        Role events = named(objects, Role.class, "lu-liveupdate-operator-agent-events");
        assertThat(events.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(events.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("events");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("create", "patch");
        });
    }

    /** "group/resource" -> verbs of the ClusterRole with this name. */
    private static Map<String, Set<String>> grants(List<HasMetadata> objects, String clusterRole) {
        ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> r.getMetadata().getName().equals(clusterRole)).findFirst().orElseThrow();
        return role.getRules().stream()
                .flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream().map(res -> Map.entry(g + "/" + res, r.getVerbs()))))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue()), (a, b) -> {
                    Set<String> u = new java.util.HashSet<>(a);
                    u.addAll(b);
                    return u;
                }));
    }

    @Test
    void agentAdmissionPolicyIsRendered() {
        List<HasMetadata> objects = render(Map.of());
        ValidatingAdmissionPolicy policy = named(objects, ValidatingAdmissionPolicy.class, "lu-liveupdate-operator-agent-own-node");
        ValidatingAdmissionPolicyBinding binding = named(objects, ValidatingAdmissionPolicyBinding.class,
                "lu-liveupdate-operator-agent-own-node");
        assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        assertThat(policy.getSpec().getMatchConditions()).singleElement().satisfies(c -> assertThat(c.getExpression())
                .contains("system:serviceaccount:liveupdate-system:lu-liveupdate-operator-agent"));
        assertThat(policy.getSpec().getVariables()).singleElement()
                .satisfies(v -> assertThat(v.getExpression()).contains("authentication.kubernetes.io/node-name"));
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement()
                .satisfies(r -> assertThat(r.getResources()).containsExactlyInAnyOrder("liveupdatenodes", "liveupdatenodes/status"));

        assertThat(render(Map.of("admissionPolicy.enabled", "false")))
                .noneMatch(o -> o instanceof ValidatingAdmissionPolicy || o instanceof ValidatingAdmissionPolicyBinding);
    }

    @Test
    void onlyTheOperatorWritesInstructions() {
        List<HasMetadata> objects = render(Map.of());
        String name = "lu-liveupdate-operator-instruction-by-operator";
        ValidatingAdmissionPolicy policy = named(objects, ValidatingAdmissionPolicy.class, name);
        assertThat(named(objects, ValidatingAdmissionPolicyBinding.class, name).getSpec().getValidationActions())
                .containsExactly("Deny");
        assertThat(policy.getSpec().getMatchConditions()).extracting(c -> c.getExpression())
                .anyMatch(e -> e.contains("!= 'system:serviceaccount:liveupdate-system:lu-liveupdate-operator-operator'"))
                .anyMatch(e -> e.contains("system:masters"));
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement()
                .satisfies(r -> assertThat(r.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE"));
        assertThat(policy.getSpec().getValidations()).extracting(v -> v.getExpression())
                .contains("request.operation != 'CREATE' || !has(object.spec.instruction)",
                        "request.operation != 'UPDATE' || object.spec == oldObject.spec")
                .anyMatch(e -> e.contains("liveupdate.dev/ledger") && e.contains("liveupdate.dev/outcome."))
                .hasSize(4);
    }

    @Test
    void userRolesGrantWhatTheirNamesSay() {
        List<HasMetadata> objects = render(Map.of());
        ClusterRole viewer = named(objects, ClusterRole.class, "lu-liveupdate-operator-viewer");
        ClusterRole planner = named(objects, ClusterRole.class, "lu-liveupdate-operator-planner");
        ClusterRole restoreAdmin = named(objects, ClusterRole.class, "lu-liveupdate-operator-restore-admin");
        assertThat(viewer.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).containsOnly("get", "list", "watch"));
        assertThat(planner.getRules()).anySatisfy(r -> {
            assertThat(r.getResources()).containsExactly("liveupdates");
            assertThat(r.getVerbs()).contains("create", "delete");
        }).noneSatisfy(r -> assertThat(r.getResources().contains("liveupdatenodes") && r.getVerbs().contains("update")).isTrue());
        assertThat(restoreAdmin.getRules()).anySatisfy(r -> {
            assertThat(r.getResources()).containsExactly("liveupdatenodes");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("patch", "update");
        });
        assertThat(viewer.getMetadata().getLabels()).doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
        assertThat(named(render(Map.of("userRoles.aggregateToView", "true")), ClusterRole.class, "lu-liveupdate-operator-viewer")
                .getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(render(Map.of("userRoles.create", "false"))).noneMatch(o -> o.getMetadata().getName().endsWith("-planner"));
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void monitoringIsOptIn() {
        assertThat(render(Map.of())).extracting(HasMetadata::getKind).doesNotContain("ServiceMonitor", "PrometheusRule")
                .contains("Service");
        List<HasMetadata> on = render(Map.of("metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true",
                "metrics.prometheusRule.blackoutThresholdSeconds", "12"));
        GenericKubernetesResource rule = on.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        String rules = rule.getAdditionalProperties().get("spec").toString();
        assertThat(rules).contains("LiveUpdatePlanHalted", "LiveUpdateNodeFailed", "LiveUpdateBlackoutHigh",
                "liveupdate_plan_nodes", "liveupdate_agent_last_blackout_seconds) > 12");
        assertThat(on).extracting(HasMetadata::getKind).contains("ServiceMonitor");
        assertThat(render(Map.of())).noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));
        io.fabric8.kubernetes.api.model.ConfigMap dashboard = render(Map.of("metrics.grafanaDashboard.enabled", "true",
                "metrics.grafanaDashboard.annotations.grafana_folder", "Kernel")).stream()
                .filter(o -> o.getMetadata().getName().endsWith("-dashboard"))
                .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Kernel");
        assertThat(dashboard.getData().get("liveupdate-dashboard.json")).contains("\"uid\": \"liveupdate-operator\"",
                "Nodes per phase", "Blackout histogram");
    }

    @Test
    void everyNamespacedObjectNamesTheReleaseNamespace() {
        // So `helm template | kubectl apply` puts them in the right place.
        for (HasMetadata o : render(Map.of())) {
            boolean clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
                    "ValidatingAdmissionPolicyBinding").contains(o.getKind());
            // One exception: the agent's events Role lives where the API server keeps Events of cluster-scoped objects.
            boolean eventsInDefault = o.getMetadata().getName().equals("lu-liveupdate-operator-agent-events");
            assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
                    .isEqualTo(clusterScoped ? null : eventsInDefault ? "default" : NS);
        }
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("agent.kernelDirs", "{boot}", "/agent/kernelDirs/0"),
                Arguments.of("agent.kernelDirs", "{/}", "/agent/kernelDirs/0"),
                Arguments.of("agent.kernelDirs", "{/boot/../etc}", "/agent/kernelDirs/0"),
                Arguments.of("agent.kernelDirs", "{}", "/agent/kernelDirs"),
                Arguments.of("agent.device.path", "/run/liveupdate", "/agent/device/path"),
                Arguments.of("agent.stateDir", "/var/lib/liveupdate/", "/agent/stateDir"),
                Arguments.of("agent.socket.mode", "0660", "/agent/socket/mode"),
                Arguments.of("agent.socket.allowedUids", "{}", "/agent/socket/allowedUids"),
                Arguments.of("agent.socket.allowedUids", "{-1}", "/agent/socket/allowedUids/0"),
                Arguments.of("agent.socket.idleTimeout", "1 minute", "/agent/socket/idleTimeout"),
                Arguments.of("agent.simulator.generation", "C", "/agent/simulator/generation"),
                Arguments.of("agent.socketDir", "/run/liveupdate", "socketDir"),
                Arguments.of("operator.bootIdentity", "kubelet", "/operator/bootIdentity"),
                Arguments.of("operator.resyncInterval", "5 minutes", "/operator/resyncInterval"),
                Arguments.of("operator.leaderElection.leaseName", "Lease_1", "/operator/leaderElection/leaseName"),
                Arguments.of("agent.device.access", "bogus", "/agent/device/access"),
                Arguments.of("agent.rebootStrategy", "kexec", "/agent/rebootStrategy"),
                Arguments.of("agent.device.path", "dev/liveupdate", "/agent/device/path"),
                Arguments.of("agent.device.resourceName", "no-slash", "/agent/device/resourceName"),
                Arguments.of("agent.httpPort", "70000", "/agent/httpPort"),
                Arguments.of("agent.seccompProfile.type", "Whatever", "/agent/seccompProfile/type"),
                Arguments.of("agent.seccompProfile.type", "Localhost", "localhostProfile"),
                Arguments.of("agent.seccomp.localhostProfile", "../agent.json", "/agent/seccomp/localhostProfile"),
                Arguments.of("agent.seccomp.localhostProfile", "/abs/agent.json", "/agent/seccomp/localhostProfile"),
                Arguments.of("agent.seccomp.kubeletDir", "var/lib/kubelet", "/agent/seccomp/kubeletDir"),
                Arguments.of("operator.replicas", "0", "/operator/replicas"),
                Arguments.of("operator.logLevel", "LOUD", "/operator/logLevel"),
                Arguments.of("operator.image.pullPolicy", "Sometimes", "/operator/image/pullPolicy"),
                Arguments.of("metrics.prometheusRule.blackoutThresholdSeconds", "0", "/metrics/prometheusRule/blackoutThresholdSeconds"),
                Arguments.of("metrics.serviceMonitor.interval", "often", "/metrics/serviceMonitor/interval"),
                Arguments.of("devicePlugin.image.digest", "latest", "/devicePlugin/image/digest"),
                Arguments.of("devicePlugin.image.digest", "sha256:66c8d5c2", "/devicePlugin/image/digest"),
                Arguments.of("devicePlugin.image.tag", "", "/devicePlugin/image/tag"),
                Arguments.of("devicePlugin.kubeletDir", "var/lib/kubelet", "/devicePlugin/kubeletDir"),
                Arguments.of("devicePlugin.logLevel", "INFO", "/devicePlugin/logLevel"),
                Arguments.of("devicePlugin.hostNetwork", "true", "hostNetwork"),
                Arguments.of("agnet.rebootStrategy", "direct", "agnet"));
    }

    @ParameterizedTest(name = "rejects {0}={1}")
    @MethodSource("badValues")
    void schemaRejectsBadValues(String key, String value, String where) {
        rejected(Map.of(key, value), where);
    }

    @Test
    void agentUpdateStrategyNeverSurgesAndIsAValue() {
        // Default OnDelete: the operator replaces the agents of idle nodes, told which DaemonSet and at what pace.
        List<HasMetadata> objects = render(Map.of());
        DaemonSet defaults = daemonSet(objects, "agent");
        assertThat(defaults.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(defaults.getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
        Container operator = RenderedChart.single(only(objects, Deployment.class).getSpec().getTemplate().getSpec());
        assertThat(RenderedChart.env(operator))
                .containsEntry("LIVEUPDATE_OPERATOR_AGENT_DAEMON_SET", defaults.getMetadata().getName())
                .containsEntry("LIVEUPDATE_OPERATOR_AGENT_MAX_UNAVAILABLE", "10%")
                // the operator's own namespace, where its Role is
                .containsEntry("LIVEUPDATE_OPERATOR_AGENT_NAMESPACE", "fieldRef:metadata.namespace");
        assertThat(defaults.getMetadata().getNamespace()).isEqualTo(NS);

        // The same pace for the operator and for RollingUpdate.
        List<HasMetadata> paced = render(Map.of("agent.updateStrategy.rollingUpdate.maxUnavailable", "25"));
        assertThat(RenderedChart.env(RenderedChart.single(only(paced, Deployment.class).getSpec().getTemplate()
                .getSpec()))).containsEntry("LIVEUPDATE_OPERATOR_AGENT_MAX_UNAVAILABLE", "25");

        // RollingUpdate stays selectable (unsafe while a plan holds a node): never surging.
        DaemonSet rolling = daemonSet(render(Map.of("agent.updateStrategy.type", "RollingUpdate")), "agent");
        assertThat(rolling.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(rolling.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("10%");
        assertThat(rolling.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
        DaemonSet fixed = daemonSet(render(Map.of("agent.updateStrategy.type", "RollingUpdate",
                "agent.updateStrategy.rollingUpdate.maxUnavailable", "25")), "agent");
        assertThat(fixed.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(25);

        rejected(Map.of("agent.updateStrategy.type", "Recreate"), "/agent/updateStrategy/type");
        rejected(Map.of("agent.updateStrategy.rollingUpdate.maxUnavailable", "0"), "/agent/updateStrategy/rollingUpdate/maxUnavailable");
        rejected(Map.of("agent.updateStrategy.rollingUpdate.maxSurge", "1"), "maxSurge");
    }

    @Test
    void imagesMayBePinnedByDigest() {
        String digest = "sha256:" + "ab".repeat(32);
        List<HasMetadata> objects = render(Map.of("operator.image.digest", digest, "agent.image.digest", digest));
        assertThat(RenderedChart.single(only(objects, Deployment.class).getSpec().getTemplate().getSpec()).getImage())
                .isEqualTo("liveupdate/liveupdate-operator:0.1.0@" + digest);
        assertThat(RenderedChart.single(daemonSet(objects, "agent").getSpec().getTemplate().getSpec()).getImage())
                .isEqualTo("liveupdate/liveupdate-node-agent:0.1.0@" + digest);
        rejected(Map.of("agent.image.digest", "latest"), "/agent/image/digest");
    }

    @Test
    void leaderElectionTimingsAreValuesWithStallTolerantDefaults() {
        Map<String, String> env = RenderedChart.env(RenderedChart.single(
                only(render(Map.of()), Deployment.class).getSpec().getTemplate().getSpec()));
        assertThat(env).containsEntry("LIVEUPDATE_LEADER_ELECTION_LEASE_DURATION", "137s")
                .containsEntry("LIVEUPDATE_LEADER_ELECTION_RENEW_DEADLINE", "107s")
                .containsEntry("LIVEUPDATE_LEADER_ELECTION_RETRY_PERIOD", "26s");
        rejected(Map.of("operator.leaderElection.renewDeadline", "soon"), "/operator/leaderElection/renewDeadline");
    }

    @Test
    void schemaRejectsReplicasWithoutLeaderElection() {
        rejected(Map.of("operator.replicas", "2", "operator.leaderElection.enabled", "false"), "/operator/replicas");
        assertThat(helm.template(chart, "lu", NS, Map.of("operator.replicas", "2"), false).ok()).isTrue();
    }

    @Test
    void overlappingHostDirectoriesAreRefused() {
        HelmCli.Result r = helm.template(chart, "lu", NS, Map.of("agent.kernelDirs", "{/boot,/dev/kernels}"), false);
        assertThat(r.ok()).isFalse();
        assertThat(r.stderr()).contains("agent.kernelDirs: /dev/kernels is not a kernel directory");
        HelmCli.Result same = helm.template(chart, "lu", NS, Map.of("agent.stateDir", "/run/liveupdate"), false);
        assertThat(same.ok()).isFalse();
        assertThat(same.stderr()).contains("agent.socket.hostDir and agent.stateDir must be different host directories");
    }

    private static void rejected(Map<String, String> values, String where) {
        HelmCli.Result r = helm.template(chart, "lu", NS, values, false);
        assertThat(r.ok()).as("helm template --set %s should fail", values).isFalse();
        assertThat(r.stderr()).contains("values don't meet the specifications of the schema").contains(where);
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + path));
    }

    /** The hostPath type of the volume mounted at mountPath, checking it is the host's hostPath. */
    private static String hostPath(PodSpec pod, Container c, String mountPath, String hostPath) {
        String volume = mount(c, mountPath).getName();
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElseThrow();
        assertThat(v.getHostPath().getPath()).isEqualTo(hostPath);
        return v.getHostPath().getType();
    }
}
