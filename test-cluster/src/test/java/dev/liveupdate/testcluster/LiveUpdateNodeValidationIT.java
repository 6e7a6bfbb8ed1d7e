package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.get;
import static dev.liveupdate.testcluster.Resources.instruction;
import static dev.liveupdate.testcluster.Resources.liveUpdateNode;
import static dev.liveupdate.testcluster.Resources.nodes;
import static dev.liveupdate.testcluster.Resources.rejected;
import static dev.liveupdate.testcluster.Resources.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rules that make LiveUpdateNode safe by construction (crds/liveupdatenodes.liveupdate.dev.yaml): named after
 * its node, one plan at a time, no step back from Rebooted.
 */
class LiveUpdateNodeValidationIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final KubernetesClient admin = SharedTestCluster.get().client();

    private static String uniqueNode() {
        return "lun-node-" + SEQ.incrementAndGet();
    }

    @Test
    void nameMustEqualNodeName() {
        String message = rejected(422, () -> nodes(admin).resource(liveUpdateNode("node-a-x", "node-b-x")).create());
        assertThat(message).contains("a LiveUpdateNode is named after its Node: metadata.name must equal spec.nodeName");
    }

    @Test
    void nodeNameIsImmutable() {
        String n = uniqueNode();
        GenericKubernetesResource created = nodes(admin).resource(liveUpdateNode(n, n)).create();
        set(created, "spec.nodeName", n + "-other");
        String message = rejected(422, () -> nodes(admin).resource(created).update());
        assertThat(message).contains("nodeName is immutable");
    }

    @Test
    void aSecondPlanCannotTakeAHeldNode() {
        String n = uniqueNode();
        GenericKubernetesResource lun = liveUpdateNode(n, n);
        set(lun, "spec.instruction", instruction("plan-one", "uid-1111", "Prepared"));
        GenericKubernetesResource held = nodes(admin).resource(lun).create();

        set(held, "spec.instruction", instruction("plan-two", "uid-2222", "Prepared"));
        String message = rejected(422, () -> nodes(admin).resource(held).update());
        assertThat(message).contains("this node is held by another LiveUpdate");

        // Clearing the instruction frees the node; then another plan may take it.
        GenericKubernetesResource cleared = nodes(admin).withName(n).get();
        set(cleared, "spec.instruction", null);
        cleared = nodes(admin).resource(cleared).update();
        assertThat(get(cleared, "spec.instruction")).isNull();
        set(cleared, "spec.instruction", instruction("plan-two", "uid-2222", "Prepared"));
        assertThat(get(nodes(admin).resource(cleared).update(), "spec.instruction.plan.name")).isEqualTo("plan-two");
    }

    @Test
    void samePlanMayAdvanceItsStep() {
        String n = uniqueNode();
        GenericKubernetesResource lun = set(liveUpdateNode(n, n), "spec.instruction", instruction("plan-adv", "uid-adv", "Prepared"));
        GenericKubernetesResource cur = nodes(admin).resource(lun).create();
        for (String step : new String[] {"Rebooted", "Finished"}) {
            set(cur, "spec.instruction.step", step);
            cur = nodes(admin).resource(cur).update();
            assertThat(get(cur, "spec.instruction.step")).isEqualTo(step);
        }
    }

    @Test
    void rebootedCannotGoBackToPreparedOrCancelled() {
        String n = uniqueNode();
        GenericKubernetesResource lun = set(liveUpdateNode(n, n), "spec.instruction", instruction("plan-r", "uid-r", "Rebooted"));
        GenericKubernetesResource created = nodes(admin).resource(lun).create();

        for (String back : new String[] {"Prepared", "Cancelled"}) {
            GenericKubernetesResource fresh = nodes(admin).withName(n).get();
            set(fresh, "spec.instruction.step", back);
            String message = rejected(422, () -> nodes(admin).resource(fresh).update());
            assertThat(message).as(back).contains("a node told to reboot can only be finished next, never prepared again or cancelled");
        }
        assertThat(created.getMetadata().getName()).isEqualTo(n);
    }

    @Test
    void unknownStepIsRejected() {
        String n = uniqueNode();
        GenericKubernetesResource lun = set(liveUpdateNode(n, n), "spec.instruction", instruction("plan-u", "uid-u", "Kexec"));
        String message = rejected(422, () -> nodes(admin).resource(lun).create());
        assertThat(message).contains("spec.instruction.step: Unsupported value: \"Kexec\"");
    }

    @Test
    void stageRequestsNeedAUrlAndAChecksum() {
        String n = uniqueNode();
        java.util.Map<String, Object> ok = java.util.Map.of("url", "https://mirror.example.com/k/vmlinuz", "sha256", "ab".repeat(32), "plan", "p");
        GenericKubernetesResource good = set(liveUpdateNode(n, n), "spec.stage", java.util.List.of(ok));
        assertThat(get(nodes(admin).resource(good).create(), "spec.stage.0.plan")).isEqualTo("p");

        String m = uniqueNode();
        GenericKubernetesResource noSha = set(liveUpdateNode(m, m), "spec.stage",
                java.util.List.of(java.util.Map.of("url", "https://mirror.example.com/k/vmlinuz")));
        assertThat(rejected(422, () -> nodes(admin).resource(noSha).create())).contains("spec.stage[0].sha256: Required value");
        GenericKubernetesResource creds = set(liveUpdateNode(m, m), "spec.stage",
                java.util.List.of(java.util.Map.of("url", "https://u:p@mirror.example.com/k", "sha256", "ab".repeat(32))));
        assertThat(rejected(422, () -> nodes(admin).resource(creds).create())).contains("spec.stage[0].url in body should match");
        GenericKubernetesResource many = set(liveUpdateNode(m, m), "spec.stage", java.util.Collections.nCopies(9, ok));
        assertThat(rejected(422, () -> nodes(admin).resource(many).create())).contains("must have at most 8 items");
    }
}
