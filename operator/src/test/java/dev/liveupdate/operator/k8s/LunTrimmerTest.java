package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LunTrimmerTest {

    static LiveUpdateNode full(NodePhase phase, String sessionName) {
        LiveUpdateNode l = new LiveUpdateNode();
        l.setMetadata(new ObjectMetaBuilder().withName("n1").withResourceVersion("9").withGeneration(3L)
                .withAnnotations(Map.of(Annotations.LEDGER, "x")).addNewManagedField().withManager("liveupdate-agent")
                .endManagedField().build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName("n1");
        l.setSpec(spec);
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(phase);
        NodeInventory inv = new NodeInventory();
        inv.setCapable(true);
        s.setInventory(inv);
        SessionStatus session = new SessionStatus();
        session.setName(sessionName);
        s.setSessions(List.of(session));
        s.setLastReportTime("2026-12-07T10:00:00Z");
        l.setStatus(s);
        return l;
    }

    @Test
    void keepsMetadataSpecAndThePlannersStatusAndDropsTheRest() {
        LiveUpdateNode t = new LunTrimmer().apply(full(NodePhase.Prepared, "vm"));
        assertThat(t.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(t.getMetadata().getAnnotations()).containsKey(Annotations.LEDGER);
        assertThat(t.getMetadata().getResourceVersion()).isEqualTo("9");
        assertThat(t.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(t.getStatus().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(t.getStatus().getInventory().getCapable()).isTrue();
        assertThat(t.getStatus().getSessions()).isNull();
        assertThat(t.getStatus().getLastReportTime()).isNull();
    }

    @Test
    void onlyChangesThePlannerReadsWakePlans() {
        LiveUpdateNode before = full(NodePhase.Prepared, "vm");
        LiveUpdateNode sessionsOnly = full(NodePhase.Prepared, "vm-2");
        sessionsOnly.getStatus().setLastReportTime("2026-12-07T10:05:00Z");
        assertThat(LunTrimmer.plannerRelevantChange(sessionsOnly, before)).isFalse();
        assertThat(LunTrimmer.plannerRelevantChange(full(NodePhase.Rebooting, "vm"), before)).isTrue();
        LiveUpdateNode annotated = full(NodePhase.Prepared, "vm");
        annotated.getMetadata().setAnnotations(Map.of(Annotations.LEDGER, "y"));
        assertThat(LunTrimmer.plannerRelevantChange(annotated, before)).isTrue();
        LiveUpdateNode staged = full(NodePhase.Prepared, "vm");
        staged.getStatus().setStaging(java.util.List.of(new dev.liveupdate.api.v1alpha1.StagedArtifact("a".repeat(64),
                dev.liveupdate.api.v1alpha1.StagingState.Staged, 10L, null, null)));
        assertThat(LunTrimmer.plannerRelevantChange(staged, before)).as("a kernel staged wakes preflight").isTrue();
        assertThat(new LunTrimmer().apply(staged).getStatus().getStaging()).hasSize(1);
        assertThat(before.getMetadata().getManagedFields()).as("comparing never trims the informer's object").hasSize(1);
    }
}
