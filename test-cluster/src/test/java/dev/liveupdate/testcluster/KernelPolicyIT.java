package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.plan;
import static dev.liveupdate.testcluster.Resources.plans;
import static dev.liveupdate.testcluster.Resources.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's kernel policy on a real API server of its own: which kernels, initrds and command lines a plan may
 * name. Installed with the chart's defaults plus an allowed command line and a second kernel directory.
 */
class KernelPolicyIT {
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "b".repeat(64);
    static TestCluster cluster;
    static KubernetesClient admin;

    @BeforeAll
    static void install() {
        cluster = TestCluster.builder().withControllerManager(false).start();
        admin = cluster.client();
        new ChartInstaller(cluster).install("lu", "liveupdate-system", Map.of(
                "agent.kernelDirs", "{/boot,/var/lib/liveupdate/kernels}",
                "kernelPolicy.cmdline.allowed", "{console=ttyS0 quiet}",
                "agent.staging.allowedUrlPrefixes", "{" + MIRROR + "}"));
        // Policies take effect once the API server has loaded them: probe with a plan only the policy refuses.
        Poll.until("kernel policy enforced", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            GenericKubernetesResource probe = plan("probe");
            try {
                plans(admin).resource(probe).dryRun().create();
                return Optional.empty();
            } catch (KubernetesClientException e) {
                return e.getCode() == 403 ? Optional.of(true) : Optional.empty();
            }
        }, Optional::empty);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static GenericKubernetesResource withChecksums(String name) {
        GenericKubernetesResource p = plan(name);
        set(p, "spec.kernel.sha256", SHA_A);
        return p;
    }

    private static String denied(GenericKubernetesResource p) {
        KubernetesClientException e = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> plans(admin).resource(p).dryRun().create());
        assertThat(e.getCode()).isEqualTo(403);
        System.out.println("denied by kernel policy: " + e.getMessage());
        return e.getMessage();
    }

    static final String MIRROR = "https://mirror.example.com/kernels/";

    private static GenericKubernetesResource urlPlan(String name, String url, String initrdUrl) {
        GenericKubernetesResource p = plan(name);
        Map<String, Object> kernel = new java.util.HashMap<>(Map.of("release", "7.2.0-1-amd64", "url", url, "sha256", SHA_A));
        if (initrdUrl != null) {
            kernel.put("initrdUrl", initrdUrl);
            kernel.put("initrdSha256", SHA_B);
        }
        return set(p, "spec.kernel", kernel);
    }

    @Test
    void urlKernelsOnlyFromTheAllowedMirrors() {
        assertThat(plans(admin).resource(urlPlan("url-ok", MIRROR + "vmlinuz-7.2", MIRROR + "initrd-7.2")).dryRun().create()).isNotNull();
        assertThat(denied(urlPlan("url-elsewhere", "https://evil.example.net/kernels/vmlinuz", null)))
                .contains("is not under a URL prefix the agents may download from (" + MIRROR);
        assertThat(denied(urlPlan("url-lookalike", "https://mirror.example.com.evil.net/kernels/vmlinuz", null)))
                .contains("agent.staging.allowedUrlPrefixes");
        assertThat(denied(urlPlan("initrd-elsewhere", MIRROR + "vmlinuz-7.2", "https://evil.example.net/initrd")))
                .contains("is not under a URL prefix");
    }

    @Test
    void checksumsAreRequired() {
        assertThat(denied(plan("no-sha"))).contains("the kernel policy requires spec.kernel.sha256");
        GenericKubernetesResource initrdWithout = withChecksums("initrd-no-sha");
        set(initrdWithout, "spec.kernel.initrd", "/boot/initrd.img-7.2.0-1-amd64");
        assertThat(denied(initrdWithout)).contains("spec.kernel.initrdSha256 with an initrd");

        set(initrdWithout, "spec.kernel.initrdSha256", SHA_B);
        assertThat(plans(admin).resource(initrdWithout).dryRun().create()).isNotNull();
    }

    @Test
    void kernelAndInitrdMustBeInTheKernelDirectories() {
        GenericKubernetesResource socketDir = withChecksums("outside");
        set(socketDir, "spec.kernel.image", "/run/liveupdate/agent.sock");
        assertThat(denied(socketDir)).contains("spec.kernel.image /run/liveupdate/agent.sock is outside the kernel directories")
                .contains("/boot, /var/lib/liveupdate/kernels");
        GenericKubernetesResource prefixOnly = withChecksums("prefix");
        set(prefixOnly, "spec.kernel.image", "/bootleg/vmlinuz");
        assertThat(denied(prefixOnly)).contains("is outside the kernel directories");
        GenericKubernetesResource shm = withChecksums("initrd-shm");
        set(shm, "spec.kernel.initrd", "/dev/shm/initrd");
        set(shm, "spec.kernel.initrdSha256", SHA_B);
        assertThat(denied(shm)).contains("spec.kernel.initrd /dev/shm/initrd is outside");

        GenericKubernetesResource second = withChecksums("second-dir");
        set(second, "spec.kernel.image", "/var/lib/liveupdate/kernels/vmlinuz-7.2.0");
        assertThat(plans(admin).resource(second).dryRun().create()).isNotNull();
    }

    @Test
    void onlyAllowedCommandLinesAndNeverInitOverrides() {
        GenericKubernetesResource other = withChecksums("cmdline-other");
        set(other, "spec.kernel.cmdline", "console=ttyS0");
        assertThat(denied(other)).contains("not one of the command lines the admin allows");
        GenericKubernetesResource init = withChecksums("cmdline-init");
        set(init, "spec.kernel.cmdline", "console=ttyS0 quiet init=/bin/sh");
        assertThat(denied(init)).contains("init=");
        for (String sneaky : new String[] {"console=ttyS0 \"init=/bin/sh\"", "module.sig-enforce=0", "systemd.run-success-action=none"}) {
            GenericKubernetesResource p = withChecksums("cmdline-sneaky-" + Math.abs(sneaky.hashCode()));
            set(p, "spec.kernel.cmdline", sneaky);
            assertThat(denied(p)).as(sneaky).contains("no policy allows it");
        }

        GenericKubernetesResource allowed = withChecksums("cmdline-allowed");
        set(allowed, "spec.kernel.cmdline", "console=ttyS0 quiet");
        assertThat(plans(admin).resource(allowed).dryRun().create()).isNotNull();
        assertThat(plans(admin).resource(withChecksums("reuse-running")).dryRun().create()).isNotNull();
    }

    @Test
    void pausingOrCancellingAnExistingPlanIsNeverBlocked() {
        GenericKubernetesResource created = plans(admin).resource(withChecksums("existing")).create();
        set(created, "spec.cancel", true);
        assertThat(Resources.get(plans(admin).resource(created).update(), "spec.cancel")).isEqualTo(true);
    }

    @Test
    void everyExamplePassesTheDefaultPolicy() throws IOException {
        Path examples = RepoLayout.locate().root().resolve("examples");
        List<Path> yaml;
        try (Stream<Path> files = Files.list(examples)) {
            yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(yaml).isNotEmpty();
        for (Path f : yaml) {
            GenericKubernetesResource p = Resources.parse(Files.readString(f));
            assertThat(plans(admin).resource(p).dryRun().create()).as(f.getFileName().toString()).isNotNull();
        }
    }
}
