package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.get;
import static dev.liveupdate.testcluster.Resources.plan;
import static dev.liveupdate.testcluster.Resources.plans;
import static dev.liveupdate.testcluster.Resources.rejected;
import static dev.liveupdate.testcluster.Resources.sessions;
import static dev.liveupdate.testcluster.Resources.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LiveUpdate plans against the real API server: the OpenAPI schema and the CEL rules of
 * crds/liveupdates.liveupdate.dev.yaml reject bad plans with their messages; a valid plan gets its defaults.
 */
class LiveUpdateValidationIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final KubernetesClient admin = SharedTestCluster.get().client();

    private static String uniqueName(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    static Stream<Arguments> invalidPlans() {
        return Stream.of(
                invalid("session name of 56 bytes",
                        p -> set(p, "spec.sessions", sessions("s".repeat(56))),
                        "session name must be 1 to 55 bytes: generation-A kernels hold 56 bytes including the terminating NUL; got '" + "s".repeat(56) + "'"),
                invalid("session name with a space and '!'",
                        p -> set(p, "spec.sessions", sessions("bad name!")),
                        "got 'bad name!'"),
                invalid("session name starting with '-'",
                        p -> set(p, "spec.sessions", sessions("-vm")),
                        "session name must start with a letter or digit"),
                invalid("duplicate session names",
                        p -> set(p, "spec.sessions", sessions("vm-memory", "db", "vm-memory")),
                        "session names must be unique within a plan"),
                invalid("maxUnavailable 0",
                        p -> set(p, "spec.strategy.maxUnavailable", 0),
                        "maxUnavailable must be an integer >= 1 or a percentage from 1% to 100%, got 0"),
                invalid("maxUnavailable '150%' names the value given",
                        p -> set(p, "spec.strategy.maxUnavailable", "150%"),
                        "got '150%'"),
                invalid("selector Exists with values (would select every node with the key)",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "Exists", "values", List.of("no-such-pool"))))),
                        "matchExpressions: {key: pool, operator: Exists} must not list values (got 'no-such-pool')"),
                invalid("selector DoesNotExist with values",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "DoesNotExist", "values", List.of("a"))))),
                        "matchExpressions: {key: pool, operator: DoesNotExist} must not list values"),
                invalid("selector In without values",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "In")))),
                        "matchExpressions: {key: pool, operator: In} needs at least one value"),
                invalid("selector NotIn with an empty list",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "NotIn", "values", List.of())))),
                        "matchExpressions: {key: pool, operator: NotIn} needs at least one value"),
                invalid("selector key with a space",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "my pool", "operator", "Exists")))),
                        "matchExpressions: key \"my pool\" is not valid"),
                invalid("selector value of 64 characters",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "In", "values", List.of("ok", "v".repeat(64)))))),
                        // The API server's own wording differs by release: 1.34 "may not be more than 63 bytes",
                        // 1.30 "may not be longer than 63" (docs/compatibility.md).
                        "spec.nodeSelector.matchExpressions[0].values[1]: Too long: may not be "),
                invalid("selector value with a space",
                        p -> set(p, "spec.nodeSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "pool", "operator", "In", "values", List.of("ok", "kvm a"))))),
                        "value \"kvm a\" of key pool is not valid"),
                invalid("matchLabels value with a slash",
                        p -> set(p, "spec.nodeSelector", Map.of("matchLabels", Map.of("pool", "kvm/a"))),
                        "matchLabels: pool: \"kvm/a\" is not a valid label"),
                invalid("blocker selector Exists with values",
                        p -> set(p, "spec.blockers", List.of(Map.of("name", "backup", "podSelector", Map.of("matchExpressions", List.of(
                                Map.of("key", "app", "operator", "Exists", "values", List.of("backup"))))))),
                        "matchExpressions: {key: app, operator: Exists} must not list values"),
                invalid("maxUnavailable 0%",
                        p -> set(p, "spec.strategy.maxUnavailable", "0%"),
                        "maxUnavailable must be an integer >= 1 or a percentage from 1% to 100%"),
                invalid("maxUnavailable 101%",
                        p -> set(p, "spec.strategy.maxUnavailable", "101%"),
                        "maxUnavailable must be an integer >= 1 or a percentage from 1% to 100%"),
                invalid("maxUnavailable abc",
                        p -> set(p, "spec.strategy.maxUnavailable", "abc"),
                        "maxUnavailable must be an integer >= 1 or a percentage from 1% to 100%"),
                invalid("maxFailures -1",
                        p -> set(p, "spec.strategy.maxFailures", -1),
                        "spec.strategy.maxFailures: Invalid value: -1"),
                invalid("canaryNodes -1",
                        p -> set(p, "spec.strategy.canaryNodes", -1),
                        "spec.strategy.canaryNodes: Invalid value: -1"),
                invalid("relative kernel image path",
                        p -> set(p, "spec.kernel.image", "boot/vmlinuz"),
                        "kernel.image must be an absolute, normalised host path"),
                invalid("kernel image path escaping with '..'",
                        p -> set(p, "spec.kernel.image", "/boot/../../run/liveupdate/agent.sock"),
                        "got '/boot/../../run/liveupdate/agent.sock'"),
                invalid("kernel image path with a '.' segment",
                        p -> set(p, "spec.kernel.image", "/boot/./vmlinuz"),
                        "kernel.image must be an absolute, normalised host path"),
                invalid("kernel image path with '//'",
                        p -> set(p, "spec.kernel.image", "/boot//vmlinuz"),
                        "kernel.image must be an absolute, normalised host path"),
                invalid("kernel image path with a trailing '/'",
                        p -> set(p, "spec.kernel.image", "/boot/"),
                        "kernel.image must be an absolute, normalised host path"),
                invalid("initrd path escaping with '..'",
                        p -> set(p, "spec.kernel.initrd", "/../proc/1/root/etc/shadow"),
                        "kernel.initrd must be an absolute, normalised host path"),
                invalid("sha256 not hex",
                        p -> set(p, "spec.kernel.sha256", "z".repeat(64)),
                        "spec.kernel.sha256 in body should match '^[0-9a-f]{64}$'"),
                invalid("sha256 upper-case hex",
                        p -> set(p, "spec.kernel.sha256", "AB".repeat(32)),
                        "spec.kernel.sha256 in body should match '^[0-9a-f]{64}$'"),
                invalid("initrdSha256 without initrd",
                        p -> set(p, "spec.kernel.initrdSha256", "ab".repeat(32)),
                        "initrdSha256 is set but initrd is not"),
                invalid("kernel release with a slash",
                        p -> set(p, "spec.kernel.release", "7.2/evil"),
                        "spec.kernel.release in body should match"),
                invalid("window start 25:00",
                        p -> set(p, "spec.window", Map.of("start", "25:00", "end", "04:00")),
                        "window start must be a 24h time HH:MM, e.g. 02:00; got '25:00'"),
                invalid("window end 4:00 (one digit hour)",
                        p -> set(p, "spec.window", Map.of("start", "02:00", "end", "4:00")),
                        "window end must be a 24h time HH:MM, e.g. 05:00; got '4:00'"),
                invalid("window start == end",
                        p -> set(p, "spec.window", Map.of("start", "02:00", "end", "02:00")),
                        "window start and end must differ (both are 02:00"),
                invalid("unknown nodeJoin",
                        p -> set(p, "spec.nodeJoin", "Always"),
                        "spec.nodeJoin: Unsupported value: \"Always\""),
                invalid("unknown targetPhase",
                        p -> set(p, "spec.targetPhase", "Rebooted"),
                        "spec.targetPhase: Unsupported value: \"Rebooted\""),
                invalid("bad soakTime duration",
                        p -> set(p, "spec.strategy.soakTime", "10 minutes"),
                        "spec.strategy.soakTime in body should match"),
                invalid("freeze timeout 0s",
                        p -> set(p, "spec.strategy.freeze", Map.of("timeout", "0s")),
                        "freeze.timeout must be a duration from 1ms to 5m, got 0s"),
                invalid("freeze timeout above 5m",
                        p -> set(p, "spec.strategy.freeze", Map.of("timeout", "5m1s")),
                        "freeze.timeout must be a duration from 1ms to 5m, got 5m1s"),
                invalid("freeze timeout not a duration",
                        p -> set(p, "spec.strategy.freeze", Map.of("timeout", "ten seconds")),
                        "spec.strategy.freeze.timeout in body should match"),
                invalid("unknown freeze onTimeout",
                        p -> set(p, "spec.strategy.freeze", Map.of("onTimeout", "Ignore")),
                        "spec.strategy.freeze.onTimeout: Unsupported value: \"Ignore\""),
                invalid("stagingParallelism 0",
                        p -> set(p, "spec.strategy.stagingParallelism", 0),
                        "spec.strategy.stagingParallelism: Invalid value: 0: spec.strategy.stagingParallelism in body should be greater than or equal to 1"),
                invalid("healthGates without a gate",
                        p -> set(p, "spec.healthGates", Map.of("timeout", "5m")),
                        "healthGates needs at least one gate"),
                invalid("two health gates with one name",
                        p -> set(p, "spec.healthGates", Map.of("pods", List.of(podGate("vms"), podGate("vms")))),
                        "health gate names must be unique within a plan"),
                invalid("health gate timeout not a duration",
                        p -> set(p, "spec.healthGates", Map.of("nodeReadyFor", "60s", "timeout", "ten minutes")),
                        "spec.healthGates.timeout in body should match"),
                invalid("nodeReadyFor not a duration",
                        p -> set(p, "spec.healthGates", Map.of("nodeReadyFor", "1 minute")),
                        "spec.healthGates.nodeReadyFor in body should match"),
                invalid("check pod without an image",
                        p -> set(p, "spec.healthGates", Map.of("checkPod", Map.of("command", List.of("/check")))),
                        "spec.healthGates.checkPod.image: Required value"),
                invalid("check pod image with a space",
                        p -> set(p, "spec.healthGates", Map.of("checkPod", Map.of("image", "busybox; rm -rf /"))),
                        "spec.healthGates.checkPod.image in body should match"),
                invalid("pod health gate without a selector",
                        p -> set(p, "spec.healthGates", Map.of("pods", List.of(Map.of("name", "vms")))),
                        "spec.healthGates.pods[0].podSelector: Required value"),
                invalid("pod health gate with a bad selector operator",
                        p -> set(p, "spec.healthGates", Map.of("pods", List.of(Map.of("name", "vms", "podSelector",
                                Map.of("matchExpressions", List.of(Map.of("key", "app", "operator", "Equals"))))))),
                        "Unsupported value: \"Equals\""),
                invalid("missing kernel",
                        p -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> spec = (Map<String, Object>) p.getAdditionalProperties().get("spec");
                            spec.remove("kernel");
                            return p;
                        },
                        "spec.kernel: Required value"),
                invalid("kernel.url and kernel.image both",
                        p -> set(p, "spec.kernel.url", MIRROR),
                        "give exactly one of kernel.image (a host path on every node) and kernel.url"),
                invalid("neither kernel.url nor kernel.image",
                        p -> urlKernel(p, Map.of()),
                        "give exactly one of kernel.image"),
                invalid("kernel.url without sha256",
                        p -> urlKernel(p, Map.of("url", MIRROR)),
                        "kernel.url needs kernel.sha256"),
                invalid("kernel.initrdUrl without initrdSha256",
                        p -> urlKernel(p, Map.of("url", MIRROR, "sha256", SHA, "initrdUrl", MIRROR + ".initrd")),
                        "kernel.initrdUrl needs kernel.initrdSha256"),
                invalid("kernel.initrdUrl with kernel.image",
                        p -> {
                            set(p, "spec.kernel.initrdUrl", MIRROR);
                            return set(p, "spec.kernel.initrdSha256", SHA);
                        },
                        "kernel.initrdUrl goes with kernel.url"),
                invalid("kernel.initrd (a path) with kernel.url",
                        p -> urlKernel(p, Map.of("url", MIRROR, "sha256", SHA, "initrd", "/boot/initrd.img")),
                        "kernel.initrd is a host path and goes with kernel.image"),
                invalid("plain http without allowPlainHttp",
                        p -> urlKernel(p, Map.of("url", "http://mirror.example.com/vmlinuz", "sha256", SHA)),
                        "plain http:// kernel URLs need kernel.allowPlainHttp: true"),
                invalid("plain http initrdUrl without allowPlainHttp",
                        p -> urlKernel(p, Map.of("url", MIRROR, "sha256", SHA, "initrdUrl", "http://mirror.example.com/initrd",
                                "initrdSha256", SHA)),
                        "plain http:// kernel URLs need kernel.allowPlainHttp: true"),
                invalid("credentials in kernel.url",
                        p -> urlKernel(p, Map.of("url", "https://user:secret@mirror.example.com/vmlinuz", "sha256", SHA)),
                        "without credentials"),
                invalid("ftp kernel.url",
                        p -> urlKernel(p, Map.of("url", "ftp://mirror.example.com/vmlinuz", "sha256", SHA)),
                        "kernel.url must be an https:// URL"),
                invalid("kernel.url without a host",
                        p -> urlKernel(p, Map.of("url", "https:///vmlinuz", "sha256", SHA)),
                        "kernel.url must be an https:// URL with a host"),
                invalid("kernel.url longer than 2048",
                        p -> urlKernel(p, Map.of("url", MIRROR + "/" + "a".repeat(2048), "sha256", SHA)),
                        "spec.kernel.url: Too long"),
                invalid("33 sessions (more than 32)",
                        p -> set(p, "spec.sessions", sessions(java.util.stream.IntStream.range(0, 33)
                                .mapToObj(i -> "s" + i).toArray(String[]::new))),
                        "spec.sessions: Too many: 33: must have at most 32 items"));
    }

    private static Map<String, Object> podGate(String name) {
        return Map.of("name", name, "podSelector", Map.of("matchLabels", Map.of("kubevirt.io", "virt-launcher")));
    }

    private static final String MIRROR = "https://mirror.example.com/kernels/vmlinuz-7.2.0";
    private static final String SHA = "ab".repeat(32);

    /** The plan's kernel replaced by a URL kernel with these fields (and the default release). */
    private static GenericKubernetesResource urlKernel(GenericKubernetesResource p, Map<String, Object> fields) {
        Map<String, Object> kernel = new java.util.HashMap<>(fields);
        kernel.put("release", "7.2.0-1-amd64");
        return set(p, "spec.kernel", kernel);
    }

    @Test
    void acceptsUrlKernels() {
        GenericKubernetesResource p = urlKernel(plan(uniqueName("url")), Map.of("url", MIRROR, "sha256", SHA,
                "initrdUrl", "https://mirror.example.com:8443/kernels/initrd.img?v=7.2#x", "initrdSha256", SHA));
        GenericKubernetesResource created = plans(admin).resource(p).create();
        assertThat(get(created, "spec.kernel.url")).isEqualTo(MIRROR);

        GenericKubernetesResource h = urlKernel(plan(uniqueName("url")), Map.of("url", "http://10.0.0.5/vmlinuz", "sha256", SHA,
                "allowPlainHttp", true));
        assertThat(get(plans(admin).resource(h).create(), "spec.kernel.allowPlainHttp")).isEqualTo(true);
    }

    private static Arguments invalid(String what, UnaryOperator<GenericKubernetesResource> change, String message) {
        return Arguments.of(what, change, message);
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("invalidPlans")
    void rejectsInvalidPlan(String what, UnaryOperator<GenericKubernetesResource> change, String expectedMessage) {
        GenericKubernetesResource p = change.apply(plan(uniqueName("invalid")));
        String message = rejected(422, () -> plans(admin).resource(p).create());
        System.out.println("rejected (" + what + "): " + message);
        assertThat(message).contains(expectedMessage);
    }

    @Test
    void validPlanIsAcceptedWithDefaults() {
        GenericKubernetesResource p = plan(uniqueName("valid"));
        set(p, "spec.window", Map.of("start", "22:00", "end", "04:00"));
        GenericKubernetesResource created = plans(admin).resource(p).create();

        assertThat(get(created, "spec.targetPhase")).isEqualTo("Finished");
        assertThat(get(created, "spec.cancel")).isEqualTo(false);
        assertThat(get(created, "spec.paused")).isEqualTo(false);
        assertThat(get(created, "spec.cordon")).isEqualTo("Always");
        assertThat(get(created, "spec.strategy.maxUnavailable")).isEqualTo(1);
        assertThat(get(created, "spec.strategy.barrier")).isEqualTo(true);
        assertThat(get(created, "spec.strategy.canaryNodes")).isEqualTo(1);
        assertThat(get(created, "spec.strategy.maxFailures")).isEqualTo(0);
        assertThat(get(created, "spec.strategy.soakTime")).isEqualTo("0s");
        assertThat(get(created, "spec.strategy.allowDowngrade")).isEqualTo(false);
        assertThat(get(created, "spec.strategy.stagingParallelism")).isEqualTo(10);
        assertThat(get(created, "spec.nodeJoin")).isEqualTo("Frozen");
        assertThat(get(created, "spec.timeouts.prepare")).isEqualTo("15m");
        assertThat(get(created, "spec.timeouts.reboot")).isEqualTo("10m");
        assertThat(get(created, "spec.timeouts.finish")).isEqualTo("5m");
        assertThat(get(created, "spec.sessions.0.required")).isEqualTo(true);
        assertThat(get(created, "spec.sessions.0.minFiles")).isEqualTo(1);
        assertThat(get(created, "spec.sessions.0.restore.rule")).isEqualTo("AllTokensReclaimed");
        assertThat(get(created, "spec.sessions.0.restore.timeout")).isEqualTo("10m");
        assertThat(get(created, "spec.sessions.0.restore.onTimeout")).isEqualTo("Fail");
        assertThat(get(created, "spec.window.timeZone")).isEqualTo("UTC");
    }

    @Test
    void healthGatesAreAcceptedWithTheirDefaultTimeout() {
        GenericKubernetesResource p = plan(uniqueName("gates"));
        set(p, "spec.healthGates", Map.of("pods", List.of(podGate("vms"), podGate("dbs")), "nodeReadyFor", "60s",
                "checkPod", Map.of("image", "registry.example/checks/kvm@sha256:" + "0".repeat(64),
                        "args", List.of("--kvm"))));
        GenericKubernetesResource created = plans(admin).resource(p).create();
        assertThat(get(created, "spec.healthGates.timeout")).isEqualTo("10m");
        assertThat(get(created, "spec.healthGates.pods.1.name")).isEqualTo("dbs");
    }

    @Test
    void anEmptyFreezeGetsItsDefaults() {
        GenericKubernetesResource p = plan(uniqueName("freeze"));
        set(p, "spec.strategy.freeze", Map.of());
        GenericKubernetesResource created = plans(admin).resource(p).create();
        assertThat(get(created, "spec.strategy.freeze.timeout")).isEqualTo("10s");
        assertThat(get(created, "spec.strategy.freeze.onTimeout")).isEqualTo("Abort");
    }

    @Test
    void acceptsEdgeValues() {
        // The boundaries the rejections above sit next to.
        GenericKubernetesResource p = plan(uniqueName("edges"));
        set(p, "spec.sessions", sessions("s".repeat(55), "A.b_c-9"));
        set(p, "spec.strategy.maxUnavailable", "100%");
        set(p, "spec.strategy.maxFailures", 0);
        set(p, "spec.strategy.canaryNodes", 0);
        set(p, "spec.kernel.sha256", "0123456789abcdef".repeat(4));
        set(p, "spec.kernel.image", "/boot/.vmlinuz..7.2_0-1~amd64");  // dots inside names are fine
        set(p, "spec.kernel.initrd", "/var/lib/kernels/7.2/initrd..img");
        set(p, "spec.window", Map.of("start", "23:59", "end", "00:00"));
        plans(admin).resource(p).create();

        GenericKubernetesResource q = plan(uniqueName("edges"));
        set(q, "spec.strategy.maxUnavailable", "1%");
        plans(admin).resource(q).create();

        GenericKubernetesResource f = plan(uniqueName("edges"));
        set(f, "spec.strategy.freeze", Map.of("timeout", "1ms", "onTimeout", "Proceed"));
        plans(admin).resource(f).create();
        GenericKubernetesResource g = plan(uniqueName("edges"));
        set(g, "spec.strategy.freeze", Map.of("timeout", "4m60s"));
        plans(admin).resource(g).create();

        // Selectors as Kubernetes accepts them: prefixed keys, empty label values, Exists without values.
        GenericKubernetesResource r = plan(uniqueName("edges"));
        set(r, "spec.nodeSelector", Map.of(
                "matchLabels", Map.of("node-role.kubernetes.io/worker", "", "pool", "k".repeat(63)),
                "matchExpressions", List.of(
                        Map.of("key", "kubernetes.io/hostname", "operator", "In", "values", List.of("node-1", "node-2")),
                        Map.of("key", "example.com/drain", "operator", "DoesNotExist"),
                        Map.of("key", "pool", "operator", "Exists"))));
        plans(admin).resource(r).create();
    }

    @Test
    void kernelIsImmutable() {
        GenericKubernetesResource created = plans(admin).resource(plan(uniqueName("immutable-kernel"))).create();
        set(created, "spec.kernel.release", "7.3.0-1-amd64");
        String message = rejected(422, () -> plans(admin).resource(created).update());
        assertThat(message).contains("spec.kernel is immutable once set");
    }

    @Test
    void sessionsAreImmutable() {
        GenericKubernetesResource created = plans(admin).resource(plan(uniqueName("immutable-sessions"))).create();
        set(created, "spec.sessions", sessions("vm-memory", "another"));
        String message = rejected(422, () -> plans(admin).resource(created).update());
        assertThat(message).contains("spec.sessions is immutable once set");
    }

    @Test
    void cancelCannotBeUndone() {
        GenericKubernetesResource created = plans(admin).resource(set(plan(uniqueName("cancelled")), "spec.cancel", true)).create();
        set(created, "spec.cancel", false);
        String message = rejected(422, () -> plans(admin).resource(created).update());
        assertThat(message).contains("a cancelled LiveUpdate cannot be resumed");
    }

    @Test
    void targetPhaseCanOnlyBeRaised() {
        GenericKubernetesResource created = plans(admin).resource(set(plan(uniqueName("staged")), "spec.targetPhase", "Updated")).create();

        set(created, "spec.targetPhase", "Prepared");
        String message = rejected(422, () -> plans(admin).resource(created).update());
        assertThat(message).contains("targetPhase can only be raised");

        // Raising it is how a pipeline commits a staged plan.
        GenericKubernetesResource fresh = plans(admin).withName(created.getMetadata().getName()).get();
        set(fresh, "spec.targetPhase", "Finished");
        assertThat(get(plans(admin).resource(fresh).update(), "spec.targetPhase")).isEqualTo("Finished");
    }

    @Test
    void pausingAndResumingIsAllowed() {
        GenericKubernetesResource created = plans(admin).resource(plan(uniqueName("pause"))).create();
        set(created, "spec.paused", true);
        GenericKubernetesResource paused = plans(admin).resource(created).update();
        set(paused, "spec.paused", false);
        assertThat(get(plans(admin).resource(paused).update(), "spec.paused")).isEqualTo(false);
        assertThat(List.of(paused.getMetadata().getGeneration())).isNotEmpty();
    }
}
