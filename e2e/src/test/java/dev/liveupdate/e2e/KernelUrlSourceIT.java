package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.StagingState;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import dev.liveupdate.testcluster.HttpsMirror;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan whose kernel comes from an HTTPS URL, on three sandbox nodes that do not have it: the operator asks every
 * node to stage it, each agent downloads it from a local mirror (trusted through the agents' CA-bundle setting; the
 * chart's kernel policy admits the mirror's prefix), preflight waits until all three report it staged, and every
 * node is then updated from the staged copy, its workload verifying its bytes after the kexec.
 */
class KernelUrlSourceIT {
    @TempDir
    Path keys;

    @Test
    void everyNodeStagesTheKernelFromTheMirrorAndIsUpdatedFromIt() throws Exception {
        try (HttpsMirror mirror = new HttpsMirror(keys)) {
            Path image = keys.resolve("vmlinuz");
            SimulatedKernel.writeImage(image, FleetOptions.KERNEL_RELEASE);
            mirror.serve("/kernels/vmlinuz-7.2.0-sandbox", Files.readAllBytes(image));
            String prefix = mirror.httpsUrl("/kernels/");
            String url = mirror.httpsUrl("/kernels/vmlinuz-7.2.0-sandbox");
            Map<String, String> agent = Map.of("liveupdate.agent.staging.allowed-url-prefixes", prefix,
                    "liveupdate.agent.staging.ca-bundle", mirror.caBundle.toString());
            try (FleetScenario s = FleetScenario.start("kernel-url", 3, 1, agent, Map.of("agent.staging.allowedUrlPrefixes", "{" + prefix + "}"))) {
                s.awaitAllWorkloads(WorkloadState.PRESERVED);
                // No node has the kernel on disk: only the staged copy can be loaded.
                for (SimulatedNode node : s.nodes()) {
                    Files.delete(node.root().resolve(Path.of("/").relativize(Path.of(FleetOptions.KERNEL_IMAGE))));
                }
                LiveUpdate plan = FleetScenario.plan("kernel-url", 3);
                KernelSpec k = plan.getSpec().getKernel();
                k.setImage(null);
                k.setUrl(url);
                s.fleet.applyPlan(plan);

                LiveUpdate done = s.awaitPhase("kernel-url", PlanPhase.Succeeded);
                assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(3);
                s.awaitAllWorkloads(WorkloadState.VERIFIED);
                for (SimulatedNode node : s.nodes()) {
                    LiveUpdateNode lun = s.lun(node.name());
                    // Staged while wanted, and afterwards still listed as the running kernel's staged copy.
                    assertThat(lun.getStatus().getStaging()).as(node.name()).anySatisfy(a -> {
                        assertThat(a.getSha256()).isEqualTo(FleetOptions.KERNEL_SHA256);
                        assertThat(a.getState()).isEqualTo(StagingState.Staged);
                        assertThat(a.getBytes()).isEqualTo(Files.size(image));
                    });
                    Path staged = node.root().resolve(Path.of("/").relativize(Path.of(FleetOptions.STAGING_DIR))).resolve(FleetOptions.KERNEL_SHA256);
                    assertThat(staged).as(node.name() + " kept its staged kernel (the running one)").exists();
                    assertThat(node.boots()).as(node.name() + " kexec'd once").isEqualTo(2);
                }
                long downloads = mirror.requests.stream().filter(r -> r.path().equals("/kernels/vmlinuz-7.2.0-sandbox")).count();
                System.out.println("mirror served the kernel " + downloads + " time(s) to 3 nodes");
                assertThat(downloads).isEqualTo(3);
                // Done with every node: its staging request is withdrawn (the agent keeps the running kernel's file).
                s.awaitPlan("kernel-url", p -> s.nodes().stream().allMatch(n -> s.lun(n.name()).getSpec().getStage() == null),
                        "staging requests withdrawn");
            }
        }
    }
}
