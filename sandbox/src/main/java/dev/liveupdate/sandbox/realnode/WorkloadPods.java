package dev.liveupdate.sandbox.realnode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.List;

/** The sample workload as a pod: a VMM stand-in that hands a memfd to the agent and verifies it after the update. */
final class WorkloadPods {
    private WorkloadPods() {
    }

    /**
     * Preserves 1 MiB of random bytes in session vm-memory with {@code token}, then waits for the update and exits 0
     * only when the retrieved file has the same SHA-256. The socket directory is mounted read-only, as workloads
     * should (docs/workload-socket.md): a workload can connect but cannot replace the agent's socket.
     */
    static Pod verifying(String name, long token, Path socketDir, String image) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "sample-workload").endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("vmm")
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withArgs(List.of("workload", "--socket", "/run/liveupdate/agent.sock", "--session", "vm-memory",
                        "--token", Long.toString(token), "--bytes", "1M", "--then-verify", "--timeout", "10m"))
                .withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
                .addNewVolumeMount().withName("agent-socket").withMountPath("/run/liveupdate").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("agent-socket").withNewHostPath().withPath(socketDir.toString())
                .withType("Directory").endHostPath().endVolume()
                .endSpec()
                .build();
    }
}
