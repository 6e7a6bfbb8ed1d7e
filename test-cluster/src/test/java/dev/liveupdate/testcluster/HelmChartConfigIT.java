package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart speaks the applications' configuration language: every environment variable and {@code -D} system
 * property it sets in the agent and operator containers names a key the application declares (read from the apps'
 * sources by {@link AppConfigKeys}), every agent and operator setting is passed, and the paths the agent is told
 * about are the paths the pod mounts. A key renamed on one side only fails here.
 */
class HelmChartConfigIT {
    /** Agent keys the chart leaves to the application's defaults on purpose. */
    static final Map<String, String> AGENT_KEYS_LEFT_TO_THE_APP = Map.of(
            "liveupdate.agent.tick", "internal timer period; the default (1s) is what the timeouts are written for",
            "liveupdate.agent.field-manager", "the admission policy and the docs name the field manager liveupdate-agent",
            "liveupdate.agent.standalone.", "standalone mode (no API server) is for hosts outside Kubernetes, never a DaemonSet",
            "liveupdate.agent.simulator.halt-after-phase", "fault injection for the sandbox's kill-agent demo; a cluster never sets it",
            "liveupdate.agent.restore-first", "on by default; off only to measure API first or to step around the early start (extraEnv)");
    /** Agent keys the chart sets only when their value is given (empty means the application's default). */
    static final Set<String> AGENT_KEYS_SET_WHEN_GIVEN = Set.of("liveupdate.agent.socket.group",
            "liveupdate.agent.socket.allowed-gids", "liveupdate.agent.simulator.initial-release", "liveupdate.agent.staging.ca-bundle");
    static final String SIMULATOR = "liveupdate.agent.simulator.";

    static final Map<String, String> SIMULATED = Map.of("agent.rebootStrategy", "simulated");
    static final Map<String, String> EVERY_OPTION = Map.of("agent.rebootStrategy", "simulated",
            "agent.socket.group", "2000", "agent.socket.allowedGids", "{2000,2001}", "agent.socket.allowedUids", "{0,1000}",
            "agent.simulator.initialRelease", "7.2.13-sim", "agent.simulator.generation", "A",
            "agent.kernelDirs", "{/boot,/var/lib/kernels}", "operator.leaderElection.leaseName", "lease-x",
            "operator.jsonLogs", "true", "agent.staging.caBundleConfigMap", "mirror-ca");
    // (agent.staging.allowedUrlPrefixes: URL_KERNELS; Map.of takes at most ten entries)

    static HelmCli helm;
    static Path chart;
    static AppConfigKeys agentKeys;
    static AppConfigKeys operatorKeys;
    static Path agentModule;

    @BeforeAll
    static void locate() {
        helm = HelmCli.locate();
        RepoLayout repo = RepoLayout.locate();
        chart = repo.chartDir();
        agentModule = repo.root().resolve("node-agent");
        agentKeys = AppConfigKeys.ofModule(agentModule);
        operatorKeys = AppConfigKeys.ofModule(repo.root().resolve("operator"));
        // The reader must have found the mappings at all, or every check below would be vacuous.
        assertThat(agentKeys.mappingKeys()).contains("liveupdate.agent.device-path", "liveupdate.agent.socket.allowed-uids",
                "liveupdate.agent.simulator.state-dir");
        assertThat(operatorKeys.mappingKeys()).anyMatch(k -> k.startsWith("liveupdate.leader-election."))
                .anyMatch(k -> k.startsWith("liveupdate.operator."));
    }

    @AfterAll
    static void cleanup() {
        TestCluster.deleteRecursively(helm.home());
    }

    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("simulated", SIMULATED),
                Arguments.of("privileged", Map.of("agent.device.access", "privileged")),
                Arguments.of("mountOnly", Map.of("agent.device.access", "mountOnly")),
                Arguments.of("every option", EVERY_OPTION),
                Arguments.of("url kernels", URL_KERNELS));
    }

    static final Map<String, String> URL_KERNELS = Map.of("agent.staging.allowedUrlPrefixes", "{https://mirror.example.com/kernels/}",
            "agent.staging.caBundleConfigMap", "mirror-ca");

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyVariableTheChartSetsIsAKeyTheAppDeclares(String name, Map<String, String> values) {
        RenderedChart r = RenderedChart.render(helm, chart, values);
        List<String> problems = new ArrayList<>();
        problems.addAll(undeclared(r.agent(), agentKeys));
        problems.addAll(undeclared(r.operator(), operatorKeys));
        assertThat(problems).as("settings the applications do not read (values %s)", values).isEmpty();
    }

    @Test
    void theChartPassesEveryAgentSetting() {
        Set<String> declared = agentKeys.mappingKeys().stream().filter(k -> !leftToTheApp(k)).collect(Collectors.toSet());

        Set<String> direct = setKeys(RenderedChart.render(helm, chart, Map.of()).agent(), agentKeys);
        assertThat(direct).as("direct: every agent setting but the simulator's and the optional ones")
                .containsAll(declared.stream().filter(k -> !k.startsWith(SIMULATOR) && !AGENT_KEYS_SET_WHEN_GIVEN.contains(k)).toList())
                .noneMatch(k -> k.startsWith(SIMULATOR));

        Set<String> simulated = setKeys(RenderedChart.render(helm, chart, SIMULATED).agent(), agentKeys);
        assertThat(simulated).as("simulated: the simulator's settings too")
                .containsAll(declared.stream().filter(k -> !AGENT_KEYS_SET_WHEN_GIVEN.contains(k)).toList());

        Set<String> everything = setKeys(RenderedChart.render(helm, chart, EVERY_OPTION).agent(), agentKeys);
        assertThat(everything).as("with every optional value given, every agent setting (%s are left to the agent: %s)",
                AGENT_KEYS_LEFT_TO_THE_APP.keySet(), AGENT_KEYS_LEFT_TO_THE_APP.values()).containsAll(declared);
        assertThat(everything).contains("quarkus.http.port", "quarkus.log.category.\"dev.liveupdate\".level");
    }

    @Test
    void theChartPassesEveryOperatorSetting() {
        Set<String> set = setKeys(RenderedChart.render(helm, chart, Map.of()).operator(), operatorKeys);
        assertThat(set).containsAll(operatorKeys.mappingKeys())
                .contains("quarkus.http.port", "quarkus.log.category.\"dev.liveupdate\".level", "quarkus.log.console.json.enabled");
        Map<String, String> env = RenderedChart.env(RenderedChart.render(helm, chart, Map.of()).operator());
        assertThat(env).containsEntry(AppConfigKeys.envName("liveupdate.leader-election.lease-namespace"), "fieldRef:metadata.namespace")
                .containsEntry(AppConfigKeys.envName("liveupdate.leader-election.lease-name"), "lu-liveupdate-operator-operator-leader")
                .containsEntry(AppConfigKeys.envName("liveupdate.leader-election.enabled"), "true")
                .containsEntry(AppConfigKeys.envName("liveupdate.leader-election.identity"), "fieldRef:metadata.name");
    }

    @Test
    void theAgentGetsItsNodeNameFromTheDownwardApi() {
        Map<String, String> env = RenderedChart.env(RenderedChart.render(helm, chart, Map.of()).agent());
        assertThat(env).containsEntry(AppConfigKeys.envName("liveupdate.agent.node-name"), "fieldRef:spec.nodeName");
    }

    @Test
    void jvmOptionsAreFlagsThisJdkAccepts() throws Exception {
        RenderedChart r = RenderedChart.render(helm, chart, Map.of());
        for (Container c : List.of(r.agent(), r.operator())) {
            String options = RenderedChart.env(c).get("JDK_JAVA_OPTIONS");
            assertThat(options).as("JDK_JAVA_OPTIONS of %s", c.getName()).isNotBlank();
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(options.trim().split("\\s+")));
            cmd.add("-version");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("java %s -version:%n%s", options, out).isZero();
        }
    }

    /** The check above notices a key renamed in the agent only (here: device-path -> device). */
    @Test
    void aKeyRenamedInTheAgentAloneIsCaught() throws IOException {
        Path file = agentModule.resolve("src/main/java/dev/liveupdate/agent/config/AgentConfig.java");
        String source = Files.readString(file);
        assertThat(source).as("the mutation below needs this annotation").contains("@WithName(\"device-path\")");
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("AgentConfig.java", source.replace("@WithName(\"device-path\")", "@WithName(\"device\")"));
        AppConfigKeys renamed = AppConfigKeys.parse(sources, Files.readString(agentModule.resolve("src/main/resources/application.properties")));
        assertThat(renamed.mappingKeys()).contains("liveupdate.agent.device").doesNotContain("liveupdate.agent.device-path");
        assertThat(undeclared(RenderedChart.render(helm, chart, Map.of()).agent(), renamed))
                .singleElement().asString().contains("LIVEUPDATE_AGENT_DEVICE_PATH");
    }

    /** ... and a variable renamed in the chart only (here: the old LIVEUPDATE_STATE_DIR spelling). */
    @Test
    void aVariableRenamedInTheChartAloneIsCaught(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
        Path copy = temp.resolve("chart");
        copyTree(chart, copy);
        Path template = copy.resolve("templates/agent-daemonset.yaml");
        String text = Files.readString(template);
        assertThat(text).contains("- name: LIVEUPDATE_AGENT_STATE_DIR");
        Files.writeString(template, text.replace("- name: LIVEUPDATE_AGENT_STATE_DIR", "- name: LIVEUPDATE_STATE_DIR"));
        assertThat(undeclared(RenderedChart.render(helm, copy, Map.of()).agent(), agentKeys))
                .singleElement().asString().contains("LIVEUPDATE_STATE_DIR");
    }

    /**
     * The paths the agent is told about are where the pod mounts the host: the plan's kernel paths resolve under
     * host-root into the read-only kernel directory mounts, the device is in the host's /dev mount (or, with a device
     * plugin, where the plugin puts it; the simulator's own name when simulated), the state and socket settings
     * fall in their host directories.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void agentPathsAgreeWithTheMounts(String name, Map<String, String> values) {
        RenderedChart r = RenderedChart.render(helm, chart, values);
        PodSpec pod = r.agentPod();
        Container agent = r.agent();
        Map<String, String> env = RenderedChart.env(agent);
        boolean simulated = "simulated".equals(values.get("agent.rebootStrategy"));
        String access = values.getOrDefault("agent.device.access", "resource");

        String hostRoot = env.get(AppConfigKeys.envName("liveupdate.agent.host-root"));
        List<String> kernelDirs = values.containsKey("agent.kernelDirs")
                ? List.of(values.get("agent.kernelDirs").replaceAll("[{}]", "").split(",")) : List.of("/boot");
        // The agent opens kernels only beneath the directories it is told about: exactly the mounted ones.
        assertThat(env.get(AppConfigKeys.envName("liveupdate.agent.kernel-dirs"))).isEqualTo(String.join(",", kernelDirs));
        for (String dir : kernelDirs) {
            // A plan's kernel.image /boot/vmlinuz-X is opened at <host-root>/boot/vmlinuz-X: on the host's /boot.
            Mount m = mountHolding(pod, agent, hostRoot + dir + "/vmlinuz-7.2.13").orElseThrow(
                    () -> new AssertionError("no mount holds kernels of " + dir + " under host-root " + hostRoot));
            assertThat(m.hostPathOf(hostRoot + dir + "/vmlinuz-7.2.13")).isEqualTo(dir + "/vmlinuz-7.2.13");
            assertThat(m.mount().getReadOnly()).as("kernel directories are read-only").isTrue();
            assertThat(m.mount().getMountPropagation()).isEqualTo("HostToContainer");
        }
        // The staging directory: where the agent writes downloaded kernels (read-write) and loads them from, under
        // host-root like the kernel directories.
        // Mounted only when URL kernels are allowed at all (least privilege: no writable host directory otherwise).
        String staging = env.get(AppConfigKeys.envName("liveupdate.agent.staging.dir"));
        if (values.containsKey("agent.staging.allowedUrlPrefixes")) {
            Mount sm = mountHolding(pod, agent, hostRoot + staging + "/" + "a".repeat(64)).orElseThrow(
                    () -> new AssertionError("no mount holds the staging directory " + staging + " under host-root " + hostRoot));
            assertThat(sm.hostPathOf(hostRoot + staging + "/x")).isEqualTo(staging + "/x");
            assertThat(sm.mount().getReadOnly()).as("the staging directory is written by the agent").isNotEqualTo(Boolean.TRUE);
        } else {
            assertThat(agent.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals(hostRoot + staging));
        }
        // Nothing else of the host is visible under host-root but the kernel and staging directories (and /dev when mounted).
        assertThat(agent.getVolumeMounts()).filteredOn(v -> v.getMountPath().startsWith(hostRoot + "/"))
                .extracting(VolumeMount::getMountPath)
                .allMatch(p -> p.equals(hostRoot + "/dev") || p.equals(hostRoot + staging) || kernelDirs.stream().anyMatch(d -> p.equals(hostRoot + d)));

        String device = env.get(AppConfigKeys.envName("liveupdate.agent.device-path"));
        if (simulated) {
            assertThat(device).isEqualTo("/dev/liveupdate");
            assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().startsWith("/dev"));
        } else if (access.equals("resource")) {
            // The device plugin creates the node at the host path inside the container; nothing is mounted for it.
            assertThat(device).isEqualTo("/dev/liveupdate");
            assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().startsWith("/dev"));
        } else {
            Mount m = mountHolding(pod, agent, device).orElseThrow(() -> new AssertionError("no mount holds " + device));
            assertThat(m.hostPathOf(device)).isEqualTo("/dev/liveupdate");
            assertThat(m.volume().getHostPath().getPath()).isEqualTo("/dev");
            assertThat(m.mount().getReadOnly()).isTrue();
        }

        String stateDir = env.get(AppConfigKeys.envName("liveupdate.agent.state-dir"));
        assertThat(mountHolding(pod, agent, stateDir + "/update.json").orElseThrow().hostPathOf(stateDir + "/update.json"))
                .isEqualTo("/var/lib/liveupdate/update.json");
        String simulatorDir = env.get(AppConfigKeys.envName("liveupdate.agent.simulator.state-dir"));
        if (simulated) {
            assertThat(mountHolding(pod, agent, simulatorDir + "/current").orElseThrow().hostPathOf(simulatorDir + "/current"))
                    .as("the simulated machine survives the container (its kexec ends the process)")
                    .isEqualTo("/var/lib/liveupdate/simulated-machine/current");
        } else {
            assertThat(simulatorDir).isNull();
        }
        String socket = env.get(AppConfigKeys.envName("liveupdate.agent.socket.path"));
        Mount socketMount = mountHolding(pod, agent, socket).orElseThrow();
        assertThat(socketMount.hostPathOf(socket)).as("workloads find the socket on the host").isEqualTo("/run/liveupdate/agent.sock");
        assertThat(socketMount.mount().getReadOnly()).isNotEqualTo(Boolean.TRUE);
    }

    /** The pod starts on every node, LUO or not: no volume depends on the device (or anything else) existing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void noAgentVolumeNeedsTheDeviceToExist(String name, Map<String, String> values) {
        PodSpec pod = RenderedChart.render(helm, chart, values).agentPod();
        for (Volume v : pod.getVolumes()) {
            if (v.getHostPath() == null) {
                continue;
            }
            String type = v.getHostPath().getType();
            assertThat(type).as("hostPath %s", v.getHostPath().getPath()).isIn("Directory", "DirectoryOrCreate");
            if (type.equals("Directory")) {
                assertThat(v.getHostPath().getPath()).as("only /dev is required to exist (it always does)").isEqualTo("/dev");
            }
        }
    }

    /** A real API server validates the rendered workloads of every value set (server-side dry run). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theApiServerAcceptsTheWorkloads(String name, Map<String, String> values) {
        TestCluster cluster = SharedTestCluster.get();
        cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(RenderedChart.NS).endMetadata().build()).fieldManager("chart-test").forceConflicts().serverSideApply();
        RenderedChart r = RenderedChart.render(helm, chart, values);
        for (io.fabric8.kubernetes.api.model.HasMetadata workload : List.of(r.agentDaemonSet(),
                r.only(io.fabric8.kubernetes.api.model.apps.Deployment.class))) {
            io.fabric8.kubernetes.api.model.HasMetadata accepted = cluster.client().resource(workload).inNamespace(RenderedChart.NS)
                    .dryRun().create();
            assertThat(accepted.getMetadata().getName()).isEqualTo(workload.getMetadata().getName());
        }
    }

    /**
     * Metrics the PrometheusRule alerts on that no app exports yet, each with whom it is requested from. The rule
     * may use them (it fires once they exist); everything else it uses must be exported today.
     */
    static final Map<String, String> REQUESTED_METRICS = Map.of();

    /** Labels whose values the operator emits from an enum's constant names rather than from string literals. */
    static final Map<String, List<String>> ENUM_LABELS = Map.of("liveupdate_plan_phase/phase",
            java.util.Arrays.stream(dev.liveupdate.api.v1alpha1.PlanPhase.values()).map(Enum::name).toList());

    /** The alerts use metric names (and label values) the operator and agent sources really register. */
    @Test
    void prometheusRuleUsesMetricsTheAppsExport() throws IOException {
        assertThat(metricProblems(chart)).isEmpty();
    }

    /** ... which notices a wrong label value and an unknown metric. */
    @Test
    void aWrongMetricInTheRuleIsCaught(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
        Path copy = temp.resolve("chart");
        copyTree(chart, copy);
        Path rule = copy.resolve("templates/prometheusrule.yaml");
        String text = Files.readString(rule);
        assertThat(text).contains("liveupdate_plan_nodes{phase=\"failed\"}", "(liveupdate_agent_last_blackout_seconds)");
        Files.writeString(rule, text.replace("liveupdate_plan_nodes{phase=\"failed\"}", "liveupdate_plan_nodes{phase=\"Failed\"}")
                .replace("(liveupdate_agent_last_blackout_seconds)", "(liveupdate_blackout_seconds)"));
        assertThat(metricProblems(copy)).hasSize(2).anyMatch(p -> p.contains("phase=\"Failed\""))
                .anyMatch(p -> p.startsWith("liveupdate_blackout_seconds is not registered"));
    }

    /** The Grafana dashboard's queries use metric names and label values the apps register, too. */
    @Test
    void grafanaDashboardUsesMetricsTheAppsExport() throws IOException {
        RenderedChart r = RenderedChart.render(helm, chart, Map.of("metrics.grafanaDashboard.enabled", "true"));
        io.fabric8.kubernetes.api.model.ConfigMap cm = r.objects().stream()
                .filter(o -> o instanceof io.fabric8.kubernetes.api.model.ConfigMap c && c.getData() != null
                        && c.getData().containsKey("liveupdate-dashboard.json"))
                .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast).findFirst().orElseThrow();
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cm.getData().get("liveupdate-dashboard.json"));
        StringBuilder exprs = new StringBuilder();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> exprs.append(t.get("expr").asText()).append('\n')));
        assertThat(dashboard.get("panels").size()).as("panels").isGreaterThanOrEqualTo(8);
        assertThat(metricProblemsIn(exprs.toString(), 10)).isEmpty();
    }

    private static List<String> metricProblems(Path chartDir) throws IOException {
        RenderedChart r = RenderedChart.render(helm, chartDir, Map.of("metrics.prometheusRule.enabled", "true",
                "metrics.serviceMonitor.enabled", "true"));
        String rules = r.objects().stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(o -> ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) o).getAdditionalProperties().get("spec"))
                .findFirst().orElseThrow().toString();
        return metricProblemsIn(rules, 3);
    }

    /** Every liveupdate_ metric in {@code queries} (at least {@code atLeast} uses) is one the sources register. */
    private static List<String> metricProblemsIn(String rules, int atLeast) throws IOException {
        // meter name -> the source file registering it (label values must come from there)
        Map<String, String> registered = new java.util.TreeMap<>();
        java.util.regex.Pattern builder = java.util.regex.Pattern.compile("\\.builder\\(\\s*\"(liveupdate_[a-z_]+)\"");
        for (String module : List.of("operator", "node-agent")) {
            try (Stream<Path> files = Files.walk(agentModule.getParent().resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f);
                    java.util.regex.Matcher m = builder.matcher(text);
                    while (m.find()) {
                        registered.merge(m.group(1), text, String::concat);
                    }
                }
            }
        }
        assertThat(registered).as("meters registered by the apps").isNotEmpty();

        java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\b(liveupdate_[a-z_]+)(\\{([^}]*)\\})?").matcher(rules);
        List<String> problems = new ArrayList<>();
        int count = 0;
        while (used.find()) {
            count++;
            String metric = used.group(1);
            if (REQUESTED_METRICS.containsKey(metric)) {
                continue;
            }
            // Prometheus names: the meter's name, plus _total, _seconds, _bucket, ... suffixes.
            Optional<String> meter = registered.keySet().stream().filter(n -> metric.equals(n) || metric.startsWith(n + "_"))
                    .max(Comparator.comparingInt(String::length));
            if (meter.isEmpty()) {
                problems.add(metric + " is not registered by the operator or the agent (registered: " + registered.keySet() + ")");
                continue;
            }
            if (used.group(3) != null) {
                java.util.regex.Matcher label = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(used.group(3));
                while (label.find()) {
                    String source = registered.get(meter.get());
                    if (!source.contains("\"" + label.group(2) + "\"")
                            && !ENUM_LABELS.getOrDefault(meter.get() + "/" + label.group(1), List.of()).contains(label.group(2))) {
                        problems.add(metric + ": no source emits the label value " + label.group(1) + "=\"" + label.group(2) + "\"");
                    }
                }
            }
        }
        assertThat(count).as("metrics used").isGreaterThanOrEqualTo(atLeast);
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean leftToTheApp(String key) {
        return AGENT_KEYS_LEFT_TO_THE_APP.keySet().stream().anyMatch(k -> k.endsWith(".") ? key.startsWith(k) : key.equals(k));
    }

    /** The keys a container's environment sets (variables that match no key are reported by {@link #undeclared}). */
    static Set<String> setKeys(Container c, AppConfigKeys keys) {
        Set<String> set = new TreeSet<>();
        for (String name : RenderedChart.env(c).keySet()) {
            keys.keyForEnv(name).ifPresent(set::add);
        }
        String options = RenderedChart.env(c).get("JDK_JAVA_OPTIONS");
        if (options != null) {
            for (String token : options.trim().split("\\s+")) {
                if (token.startsWith("-D")) {
                    set.add(token.substring(2).split("=", 2)[0]);
                }
            }
        }
        return set;
    }

    /** Variables read by the process's runtime (glibc), not by the application's configuration. */
    static final Set<String> PROCESS_ENV = Set.of("MALLOC_ARENA_MAX");

    /** Every variable and -D property of the container that names no key the app declares, as a message. */
    static List<String> undeclared(Container c, AppConfigKeys keys) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : RenderedChart.env(c).entrySet()) {
            String name = e.getKey();
            if (name.equals("JDK_JAVA_OPTIONS")) {
                for (String token : e.getValue().trim().split("\\s+")) {
                    if (token.startsWith("-D")) {
                        String key = token.substring(2).split("=", 2)[0];
                        if (!keys.declares(key)) {
                            problems.add(c.getName() + ": JDK_JAVA_OPTIONS sets -D" + key + ", which the application does not declare");
                        }
                    } else if (!token.startsWith("-X")) {
                        problems.add(c.getName() + ": JDK_JAVA_OPTIONS carries " + token + ", which is neither a JVM flag nor -Dkey=value");
                    }
                }
            } else if (PROCESS_ENV.contains(name)) {
                continue;
            } else if (keys.keyForEnv(name).isEmpty()) {
                String prefix = name.contains("_") ? name.substring(0, name.lastIndexOf('_')) : name;
                List<String> near = keys.keys().stream().filter(k -> AppConfigKeys.envName(k).startsWith(prefix.substring(0,
                        Math.min(prefix.length(), 16)))).limit(12).toList();
                problems.add(c.getName() + ": " + name + " names no key the application declares (renamed on one side?"
                        + " declared keys nearby: " + near + ")");
            }
        }
        return problems;
    }

    /** A volume mount of a container and its volume. */
    record Mount(VolumeMount mount, Volume volume) {
        /** The host path a container path inside this (hostPath) mount is. */
        String hostPathOf(String containerPath) {
            assertThat(volume.getHostPath()).as("volume %s is a hostPath", volume.getName()).isNotNull();
            String rest = containerPath.substring(mount.getMountPath().length());
            return volume.getHostPath().getPath() + rest;
        }
    }

    /** The mount with the longest mount path holding this container path. */
    static Optional<Mount> mountHolding(PodSpec pod, Container c, String containerPath) {
        return c.getVolumeMounts().stream()
                .filter(m -> containerPath.equals(m.getMountPath()) || containerPath.startsWith(m.getMountPath() + "/"))
                .max(Comparator.comparingInt(m -> m.getMountPath().length()))
                .map(m -> new Mount(m, pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("mount " + m.getName() + " has no volume"))));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
