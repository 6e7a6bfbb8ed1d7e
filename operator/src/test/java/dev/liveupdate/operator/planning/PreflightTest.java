package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PreflightFinding;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fleet preflight over the planner: what it reports, and what Halt, Skip and Report do with a blocking finding. */
class PreflightTest {
    private static final String SHA = "a".repeat(64);

    private static LiveUpdateSpec spec(PreflightPolicy policy) {
        LiveUpdateSpec s = World.spec(2, 1);
        s.getStrategy().setPreflight(policy);
        return s;
    }

    private static void lacksKernel(World w, String node) {
        w.nodes.get(node).preflight.setKernelFiles(List.of());
    }

    private static Condition condition(World.SimPlan p) {
        return p.status.getConditions().stream().filter(c -> c.getType().equals(PreflightReport.CONDITION))
                .findFirst().orElseThrow();
    }

    private static List<String> prepared(Decision d) {
        return d.actions().stream().filter(a -> a instanceof NodeAction.IssueStep is && is.step() == NodeStep.Prepared)
                .map(NodeAction::node).toList();
    }

    @Test
    void aPassingFleetReportsPassedAndStartsTheCanary() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(2, 1));
        Decision d = w.reconcile(p);
        assertThat(prepared(d)).containsExactly("node-000");
        assertThat(p.status.getPreflight().getSummary()).isEqualTo("Passed");
        assertThat(p.status.getPreflight().getCheckedNodes()).isEqualTo(3);
        assertThat(p.status.getPreflight().getFindings()).isNull();
        assertThat(condition(p).getStatus()).isEqualTo("True");
        assertThat(condition(p).getReason()).isEqualTo("Passed");
    }

    @Test
    void haltByDefaultTouchesNoNodeWhileAKernelIsMissingAndStartsOnceItIsThere() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(2, 1));
        lacksKernel(w, "node-001");
        Decision d = w.reconcile(p);
        assertThat(d.actions()).as("no instruction, no cordon").isEmpty();
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Pending);
        assertThat(p.status.getMessage()).contains("waiting for preflight").contains("KernelMissing on 1 node(s) (node-001)");
        assertThat(p.status.getPreflight().getSummary()).isEqualTo("1 blocking");
        PreflightFinding f = p.status.getPreflight().getFindings().get(0);
        assertThat(f.getReason()).isEqualTo(PreflightChecks.KERNEL_MISSING);
        assertThat(f.getBlocking()).isTrue();
        assertThat(f.getCount()).isEqualTo(1);
        assertThat(f.getNodes()).containsExactly("node-001");
        assertThat(condition(p).getStatus()).isEqualTo("False");
        assertThat(condition(p).getReason()).isEqualTo("BlockingFindings");
        assertThat(d.events()).extracting(PlanEvent::reason).contains("PreflightFailed");

        assertThat(w.reconcile(p).events()).extracting(PlanEvent::reason).as("the event once").doesNotContain("PreflightFailed");

        w.nodes.get("node-001").preflight = World.passingPreflight(); // the kernel was copied
        assertThat(prepared(w.reconcile(p))).containsExactly("node-000");
        assertThat(condition(p).getStatus()).isEqualTo("True");
    }

    @Test
    void skipTakesOutTheNodesWithABlockingFindingAndTheRestRoll() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", spec(PreflightPolicy.Skip));
        lacksKernel(w, "node-000");
        Decision d = w.reconcile(p);
        assertThat(prepared(d)).containsExactly("node-001");
        assertThat(p.status.getNodeCounts().getSkipped()).isEqualTo(1);
        assertThat(p.status.getMessage()).contains("KernelMissing: node-000");
        assertThat(condition(p).getReason()).isEqualTo("NodesSkipped");
    }

    @Test
    void reportOnlyReports() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", spec(PreflightPolicy.Report));
        lacksKernel(w, "node-000");
        assertThat(prepared(w.reconcile(p))).containsExactly("node-000");
        assertThat(p.status.getPreflight().getSummary()).isEqualTo("1 blocking");
        assertThat(condition(p).getReason()).isEqualTo("FindingsReported");
    }

    @Test
    void aWrongChecksumBlocksAndNodesAlreadyStartedAreNotChecked() {
        World w = new World().nodes(3);
        LiveUpdateSpec s = World.spec(2, 1);
        s.getKernel().setSha256(SHA);
        World.SimPlan p = w.plan("p", s);
        for (String n : List.of("node-000", "node-001", "node-002")) {
            w.nodes.get(n).preflight.setKernelFiles(List.of(new KernelImageFile(s.getKernel().getImage(), 1L, SHA)));
        }
        assertThat(prepared(w.reconcile(p))).containsExactly("node-000");
        w.nodes.get("node-002").preflight.setKernelFiles(List.of(new KernelImageFile(s.getKernel().getImage(), 1L, "b".repeat(64))));
        w.nodes.get("node-000").preflight.setKernelFiles(List.of()); // started already: not checked any more
        w.reconcile(p);
        PreflightFinding f = p.status.getPreflight().getFindings().get(0);
        assertThat(f.getReason()).isEqualTo(PreflightChecks.KERNEL_CHECKSUM_MISMATCH);
        assertThat(f.getNodes()).containsExactly("node-002");
        assertThat(p.status.getPreflight().getCheckedNodes()).isEqualTo(2);
    }

    @Test
    void findingsNameTheFirstTenNodesAndCountAll() {
        World w = new World().nodes(1000);
        World.SimPlan p = w.plan("p", World.spec(2, 1));
        for (int i = 0; i < 1000; i += 100) {
            lacksKernel(w, String.format("node-%03d", i));
            lacksKernel(w, String.format("node-%03d", i + 1));
        }
        w.reconcile(p);
        PreflightFinding f = p.status.getPreflight().getFindings().get(0);
        assertThat(f.getCount()).isEqualTo(20);
        assertThat(f.getNodes()).hasSize(Preflight.MAX_NODES_NAMED).startsWith("node-000", "node-001", "node-100");
        assertThat(p.status.getPreflight().getSummary()).isEqualTo("20 blocking");
        assertThat(p.status.getPreflight().getCheckedNodes()).isEqualTo(1000);
    }
}
