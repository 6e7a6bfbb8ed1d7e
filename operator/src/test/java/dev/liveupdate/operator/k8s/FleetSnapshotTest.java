package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.operator.planning.NodeEntry;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FleetSnapshotTest {
    final Map<String, Node> nodes = new HashMap<>();
    final Map<String, LiveUpdateNode> luns = new HashMap<>();

    Node node(String name, String pool, String cordonedBy) {
        Node n = new NodeTrimmer().apply(new NodeBuilder().withNewMetadata().withName(name).withResourceVersion("1")
                .withLabels(Map.of("pool", pool)).withAnnotations(cordonedBy == null ? Map.of()
                        : Map.of(Annotations.CORDONED_BY, cordonedBy)).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withBootID("node-boot").withKernelVersion("6.1").endNodeInfo().endStatus().build());
        nodes.put(name, n);
        return n;
    }

    LiveUpdateNode lun(String name, String holderUid) {
        LiveUpdateNode l = new LiveUpdateNode();
        l.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion("7").withGeneration(2L).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        if (holderUid != null) {
            NodeInstruction in = new NodeInstruction();
            PlanReference ref = new PlanReference();
            ref.setUid(holderUid);
            ref.setName("holder");
            ref.setGeneration(1L);
            in.setPlan(ref);
            in.setStep(NodeStep.Prepared);
            spec.setInstruction(in);
        }
        l.setSpec(spec);
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        NodeInventory inv = new NodeInventory();
        inv.setCapable(true);
        inv.setBootID("agent-boot");
        inv.setKernelRelease("6.1-agent");
        s.setInventory(inv);
        l.setStatus(s);
        luns.put(name, l);
        return l;
    }

    FleetSnapshot.Caches caches() {
        return new MapCaches(nodes, luns);
    }

    static LiveUpdate plan() {
        LiveUpdate p = new LiveUpdate();
        p.setMetadata(new ObjectMetaBuilder().withName("p").withUid("p-uid").withGeneration(1L).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build());
        p.setSpec(spec);
        return p;
    }

    @Test
    void includesSelectedHeldAndCordonedNodesAndMarksWhichAreSelected() {
        node("a", "kvm", null);
        lun("a", null);
        node("b", "db", null); // left the selector but still held by the plan
        lun("b", "p-uid");
        node("c", "db", "p-uid"); // cordoned by the plan, not selected
        node("d", "db", null); // nothing to do with the plan
        lun("d", "other");
        List<NodeEntry> entries = new FleetSnapshot(Views.BootIdentity.AUTO).entries(plan(), caches());
        assertThat(entries).extracting(e -> e.name() + ":" + e.selected())
                .containsExactlyInAnyOrder("a:true", "b:false", "c:false");
        NodeEntry b = entries.stream().filter(e -> e.name().equals("b")).findFirst().orElseThrow();
        assertThat(b.lun().heldBy("p-uid")).isTrue();
        assertThat(b.node().bootID()).isEqualTo("node-boot");
    }

    @Test
    void bootIdentityCanComeFromTheAgent() {
        node("a", "kvm", null);
        lun("a", null);
        NodeEntry e = new FleetSnapshot(Views.BootIdentity.AGENT).entries(plan(), caches()).get(0);
        assertThat(e.node().bootID()).isEqualTo("agent-boot");
        assertThat(e.node().kernelRelease()).isEqualTo("6.1-agent");
    }

    @Test
    void mappersFindThePlansAnEventConcerns() {
        LiveUpdate p = plan();
        Node a = node("a", "kvm", null);
        lun("a", null);
        Node c = node("c", "db", "p-uid");
        LiveUpdateNode held = lun("h", "p-uid");
        node("h", "db", null);
        PlanMappers m = new PlanMappers(() -> Stream.of(p), n -> Optional.ofNullable(nodes.get(n)),
                n -> Optional.ofNullable(luns.get(n)), o -> Optional.empty());
        assertThat(m.forNode(a)).containsExactly(new ResourceID("p"));
        assertThat(m.forNode(c)).containsExactly(new ResourceID("p"));
        assertThat(m.forLun(held)).containsExactly(new ResourceID("holder"));
        assertThat(m.forNode(nodes.get("h"))).containsExactly(new ResourceID("holder"));

        // The plan that wrote this very version is not woken by it (it scheduled its own follow-up); others are.
        PlanMappers ownWrites = new PlanMappers(() -> Stream.of(p), n -> Optional.ofNullable(nodes.get(n)),
                n -> Optional.ofNullable(luns.get(n)), o -> o == a ? Optional.of("p") : Optional.empty());
        assertThat(ownWrites.forNode(a)).isEmpty();
        assertThat(ownWrites.forNode(c)).containsExactly(new ResourceID("p"));

        // A finished plan is woken only for nodes it still cordoned or holds, not for every matching node.
        p.setStatus(new dev.liveupdate.api.v1alpha1.LiveUpdateStatus());
        p.getStatus().setPhase(dev.liveupdate.api.v1alpha1.PlanPhase.Succeeded);
        assertThat(m.forNode(a)).isEmpty();
        assertThat(m.forNode(c)).as("cordoned by the plan").containsExactly(new ResourceID("p"));
    }
}
