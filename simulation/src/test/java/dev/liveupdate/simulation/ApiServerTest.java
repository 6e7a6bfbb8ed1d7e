package dev.liveupdate.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory API server behaves like the real one where the protocol depends on it. */
class ApiServerTest {
    private final VirtualClock clock = new VirtualClock();
    private final ApiServer api = new ApiServer(clock);

    private LiveUpdateNode withNode() {
        api.putNode(ApiServer.Who.KUBELET, new NodeBuilder().withNewMetadata().withName("n").withLabels(Map.of("pool", "a"))
                .endMetadata().withNewSpec().endSpec().build());
        return api.createLun("agent/n", "n");
    }

    private static NodeInstruction instruction(String uid, NodeStep step) {
        PlanReference p = new PlanReference();
        p.setName("plan-" + uid);
        p.setUid(uid);
        p.setGeneration(1L);
        NodeInstruction i = new NodeInstruction();
        i.setPlan(p);
        i.setStep(step);
        return i;
    }

    private static int code(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (KubernetesClientException e) {
            return e.getCode();
        }
    }

    @Test
    void aReplaceOnAStaleResourceVersionIsAConflict() {
        LiveUpdateNode lun = withNode();
        api.applyLunStatus("agent/n", "n", new LiveUpdateNodeStatus()); // moves the resourceVersion
        lun.getSpec().setInstruction(instruction("u1", NodeStep.Prepared));
        assertThat(code(() -> api.updateLun("operator", ApiServer.Who.OPERATOR, lun))).isEqualTo(409);
    }

    @Test
    void theCelRulesHoldANodeForOnePlanAndARebootIsOnlyFinishedNext() {
        LiveUpdateNode lun = withNode();
        lun.getSpec().setInstruction(instruction("u1", NodeStep.Rebooted));
        LiveUpdateNode held = api.updateLun("operator", ApiServer.Who.OPERATOR, lun);
        held.getSpec().setInstruction(instruction("u2", NodeStep.Prepared));
        assertThat(code(() -> api.updateLun("operator", ApiServer.Who.OPERATOR, ApiServer.copy(held)))).isEqualTo(422);
        held.getSpec().setInstruction(instruction("u1", NodeStep.Cancelled));
        assertThat(code(() -> api.updateLun("operator", ApiServer.Who.OPERATOR, ApiServer.copy(held)))).isEqualTo(422);
        held.getSpec().setInstruction(instruction("u1", NodeStep.Finished));
        assertThat(code(() -> api.updateLun("operator", ApiServer.Who.OPERATOR, ApiServer.copy(held)))).isEqualTo(200);
    }

    @Test
    void generationMovesWithSpecOnlyAndStatusSurvivesASpecWrite() {
        LiveUpdateNode lun = withNode();
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(NodePhase.Idle);
        LiveUpdateNode afterStatus = api.applyLunStatus("agent/n", "n", s);
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(lun.getMetadata().getGeneration());
        afterStatus.getSpec().setInstruction(instruction("u1", NodeStep.Prepared));
        afterStatus.setStatus(null); // a spec write cannot change the status subresource
        LiveUpdateNode afterSpec = api.updateLun("operator", ApiServer.Who.OPERATOR, afterStatus);
        assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(lun.getMetadata().getGeneration() + 1);
        assertThat(afterSpec.getStatus().getPhase()).isEqualTo(NodePhase.Idle);
    }

    @Test
    void theAgentMayNotWriteSpec() {
        LiveUpdateNode lun = withNode();
        lun.getSpec().setInstruction(instruction("u1", NodeStep.Prepared));
        assertThat(code(() -> api.updateLun("agent/n", ApiServer.Who.AGENT, lun))).isEqualTo(403);
    }

    @Test
    void aNodePatchWithAStalePreconditionIsAConflict() {
        withNode();
        assertThat(code(() -> api.mergePatchNode("operator", ApiServer.Who.OPERATOR, "n",
                "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"unschedulable\":true}}"))).isEqualTo(409);
    }

    @Test
    void aWatchKeepsEachObjectsEventsInOrder() {
        Watch w = api.watch(e -> e.kind().equals("LiveUpdateNode"));
        withNode();
        for (int i = 0; i < 5; i++) {
            LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
            s.setMessage("m" + i);
            api.applyLunStatus("agent/n", "n", s);
        }
        Random rnd = new Random(1);
        assertThat(((LiveUpdateNode) w.next(rnd).object()).getStatus()).isNull(); // the creation first
        for (int i = 0; i < 5; i++) {
            assertThat(((LiveUpdateNode) w.next(rnd).object()).getStatus().getMessage()).isEqualTo("m" + i);
        }
        assertThat(w.hasPending()).isFalse();
    }

    @Test
    void aWriteThatTimedOutAfterStoringIsStored() {
        withNode();
        api.armFault("agent/n", ApiServer.WriteFault.TIMEOUT_STORED);
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(NodePhase.Prepared);
        assertThatThrownBy(() -> api.applyLunStatus("agent/n", "n", s)).isInstanceOf(KubernetesClientException.class);
        assertThat(api.lun("n").orElseThrow().getStatus().getPhase()).isEqualTo(NodePhase.Prepared);
    }

    @Test
    void theChecksCatchAnUncordonOfANodeAPersonCordoned() {
        Invariants checks = new Invariants(api, Map.of());
        api.observe(checks);
        withNode();
        var n = api.node("n").orElseThrow();
        n.getSpec().setUnschedulable(true);
        api.putNode(ApiServer.Who.ADMIN, n);
        checks.cordonedByPerson.add("n");
        String rv = api.node("n").orElseThrow().getMetadata().getResourceVersion();
        api.mergePatchNode("operator", ApiServer.Who.OPERATOR, "n", "{\"metadata\":{\"resourceVersion\":\"" + rv
                + "\"},\"spec\":{\"unschedulable\":null}}");
        assertThat(checks.violation).startsWith("invariant 5");
    }
}
