package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin as the chart's people roles (viewer, planner, restore-admin) with the chart's RBAC and admission
 * policies on a control plane of its own: each command works with the role the docs name and is refused, with exit
 * code 4 and the API server's reason, without it.
 */
class PluginRbacIT {
    private static final String RELEASE = "lu";
    private static TestCluster cluster;
    private static KubernetesClient admin;

    @BeforeAll
    static void installChart() {
        cluster = TestCluster.builder().withRepoCrds().start();
        admin = cluster.client();
        new ChartInstaller(cluster).install(RELEASE, "liveupdate-system", Map.of("kernelPolicy.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A ServiceAccount bound to the chart's ClusterRole {@code role}, as a kubeconfig. */
    private static Path person(String role) {
        String name = role + "-person";
        admin.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", RELEASE + "-liveupdate-operator-" + role)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace("default").endSubject()
                .build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace("default").withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        return cluster.kubeconfigForToken(name, token);
    }

    /** Runs until it succeeds: a new binding takes a moment to reach the authorizer (a refusal meanwhile is a 403). */
    private static PluginRun untilAllowed(Path kubeconfig, String input, String... args) {
        PluginRun[] last = new PluginRun[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = PluginRun.run(kubeconfig, input, args);
            assertThat(last[0].code()).as(last[0].err()).isIn(ExitCodes.OK, ExitCodes.API_ERROR);
            return last[0].code() == ExitCodes.OK;
        });
        return last[0];
    }

    @Test
    void eachCommandNeedsTheRoleTheDocsName() {
        LiveUpdate lu = Fixtures.plan("rbac-plan", null);
        lu.getMetadata().setGeneration(null);
        lu = admin.resources(LiveUpdate.class).resource(lu).create();
        LiveUpdateNode lun = Fixtures.restoreHeld(Fixtures.reports(Fixtures.held(Fixtures.node("rbac-node"), lu, NodeStep.Finished, 1),
                lu, NodePhase.Failed, "RestoreTimeout", "restore timed out"), "rbac-plan", lu.getMetadata().getUid(), "RestoreTimeout");
        var status = lun.getStatus();
        lun.setStatus(null);
        LiveUpdateNode created = admin.resources(LiveUpdateNode.class).resource(lun).create();
        created.setStatus(status);
        admin.resources(LiveUpdateNode.class).resource(created).updateStatus();

        Path viewer = person("viewer");
        Path planner = person("planner");
        Path restoreAdmin = person("restore-admin");

        // viewer: reads, never writes.
        assertThat(untilAllowed(viewer, "", "nodes").out()).contains("rbac-node");
        assertThat(PluginRun.run(viewer, "", "status", "rbac-plan").code()).isEqualTo(ExitCodes.OK);
        PluginRun viewerPause = PluginRun.run(viewer, "", "pause", "rbac-plan");
        assertThat(viewerPause.code()).isEqualTo(ExitCodes.API_ERROR);
        assertThat(viewerPause.err()).startsWith("error: the API server answered 403: ").contains("cannot patch resource \"liveupdates\"");
        assertThat(PluginRun.run(viewer, "", "release", "--yes", "rbac-node").code()).isEqualTo(ExitCodes.API_ERROR);

        // planner: steers plans, cannot release.
        untilAllowed(planner, "", "pause", "rbac-plan");
        assertThat(admin.resources(LiveUpdate.class).withName("rbac-plan").get().getSpec().getPaused()).isTrue();
        PluginRun plannerRelease = PluginRun.run(planner, "", "release", "--yes", "rbac-node");
        assertThat(plannerRelease.code()).isEqualTo(ExitCodes.API_ERROR);
        assertThat(plannerRelease.err()).contains("cannot patch resource \"liveupdatenodes\"");

        // restore-admin: releases (the instruction policy lets the annotation through), cannot steer plans.
        assertThat(PluginRun.run(restoreAdmin, "", "resume", "rbac-plan").code()).isEqualTo(ExitCodes.API_ERROR);
        untilAllowed(restoreAdmin, "", "release", "--yes", "rbac-node");
        assertThat(admin.resources(LiveUpdateNode.class).withName("rbac-node").get().getMetadata().getAnnotations())
                .containsEntry(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION, lu.getMetadata().getUid());
        assertThat(admin.resources(LiveUpdate.class).withName("rbac-plan").get().getSpec().getPaused()).isTrue();
    }
}
