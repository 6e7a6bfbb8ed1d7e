package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Staging a URL kernel ahead of the waves: who is asked, how many at once, preflight until staged, withdrawal. */
class KernelStagingRequestsTest {
    static final String URL = "https://mirror.example.com/kernels/vmlinuz-7.2";
    static final String SHA = "c".repeat(64);
    static final String INITRD_SHA = "d".repeat(64);

    static LiveUpdateSpec urlSpec(int maxUnavailable) {
        LiveUpdateSpec s = World.spec(maxUnavailable, 1);
        KernelSpec k = s.getKernel();
        k.setImage(null);
        k.setUrl(URL);
        k.setSha256(SHA);
        k.setInitrdUrl(URL + ".initrd");
        k.setInitrdSha256(INITRD_SHA);
        return s;
    }

    private static List<String> staged(Decision d) {
        return d.actions().stream().filter(a -> a instanceof NodeAction.SetStage st && !st.stage().isEmpty()).map(NodeAction::node).toList();
    }

    private static List<String> prepared(Decision d) {
        return d.actions().stream().filter(a -> a instanceof NodeAction.IssueStep is && is.step() == NodeStep.Prepared)
                .map(NodeAction::node).toList();
    }

    @Test
    void thePlanSetsHowManyNodesDownloadAtOnce() {
        World w = new World().nodes(25);
        World.SimPlan p = w.plan("p", urlSpec(5));
        p.spec.getStrategy().setStagingParallelism(3);
        assertThat(staged(w.reconcile(p))).containsExactly("node-000", "node-001", "node-002");
        assertThat(staged(w.reconcile(p))).as("those three are still downloading").isEmpty();
    }

    @Test
    void asksAtMostTenNodesAtOnceAndHaltsPreflightUntilEveryNodeIsStaged() {
        World w = new World().nodes(25);
        World.SimPlan p = w.plan("p", urlSpec(5));
        Decision d = w.reconcile(p);
        assertThat(staged(d)).hasSize(PlanSettings.DEFAULT_STAGING_PARALLELISM).startsWith("node-000");
        assertThat(prepared(d)).as("no node is touched while a kernel is not staged").isEmpty();
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Pending);
        assertThat(p.status.getMessage()).contains("KernelNotStaged on 25 node(s)");
        StageRequest asked = w.luns.get("node-000").stage.get(0);
        assertThat(asked.getUrl()).isEqualTo(URL);
        assertThat(asked.getSha256()).isEqualTo(SHA);
        assertThat(asked.getPlan()).isEqualTo("p");
        assertThat(w.luns.get("node-000").stage).extracting(StageRequest::getSha256).containsExactly(SHA, INITRD_SHA);

        d = w.reconcile(p);
        assertThat(staged(d)).as("the first ten are still downloading").isEmpty();

        for (int i = 0; i < 10; i++) {
            World.stageStep(w.luns.get(String.format("node-%03d", i)));
        }
        d = w.reconcile(p);
        assertThat(staged(d)).hasSize(10).startsWith("node-010");
        assertThat(prepared(d)).isEmpty();
    }

    @Test
    void onceEveryNodeIsStagedTheWavesStartAndFinishedNodesAreWithdrawn() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", urlSpec(1));
        for (int pass = 0; pass < 200 && p.status == null || pass < 200 && p.status.getPhase() != PlanPhase.Succeeded; pass++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
        w.reconcile(p); // the pass the last release's write triggers: that node's request goes now
        for (World.SimLun l : w.luns.values()) {
            assertThat(l.stage).as("withdrawn once finished").isEmpty();
            assertThat(l.stageWrites).as("one write to ask, one to withdraw").isEqualTo(2);
        }
    }

    @Test
    void aFailedStagingIsNamedInPreflightAndFreesItsSlot() {
        World w = new World().nodes(12);
        World.SimPlan p = w.plan("p", urlSpec(1));
        w.reconcile(p);
        for (int i = 0; i < 10; i++) {
            World.SimLun l = w.luns.get(String.format("node-%03d", i));
            l.stagingFails = "HttpStatus 404";
            World.stageStep(l);
        }
        Decision d = w.reconcile(p);
        assertThat(staged(d)).containsExactly("node-010", "node-011");
        assertThat(p.status.getMessage()).contains("KernelNotStaged").contains("staging failed: HttpStatus 404");
        assertThat(prepared(d)).isEmpty();
    }

    @Test
    void aPlanNamingAHostPathWritesNothingForStaging() {
        World w = new World().nodes(5);
        World.SimPlan p = w.plan("p", World.spec(5, 1));
        for (int pass = 0; pass < 50; pass++) {
            Decision d = w.reconcile(p);
            assertThat(d.actions()).noneMatch(a -> a instanceof NodeAction.SetStage);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
    }

    @Test
    void cancellingWithdrawsTheRequestsAndLeavesOtherPlansEntries() {
        World w = new World().nodes(2);
        World.SimLun l = w.luns.get("node-000");
        StageRequest other = new StageRequest("https://mirror.example.com/other", "e".repeat(64), null, "other-plan");
        l.stage = List.of(other);
        World.SimPlan p = w.plan("p", urlSpec(1));
        w.reconcile(p);
        assertThat(l.stage).extracting(StageRequest::getPlan).containsExactly("other-plan", "p", "p");
        p.spec.setCancel(true);
        w.reconcile(p);
        assertThat(l.stage).containsExactly(other);
        assertThat(w.luns.get("node-001").stage).isEmpty();
    }

    @Test
    void preflightCountsAStagedNodeAsHavingTheKernel() {
        PreflightNeeds needs = PreflightNeeds.of(urlSpec(1));
        List<StagedArtifact> staged = List.of(new StagedArtifact(SHA, StagingState.Staged, 10L, null, null),
                new StagedArtifact(INITRD_SHA, StagingState.Staged, 10L, null, null));
        assertThat(PreflightChecks.of(needs, World.passingPreflight(), staged)).isEmpty();
        List<StagedArtifact> downloading = List.of(staged.get(0), new StagedArtifact(INITRD_SHA, StagingState.Downloading, 5L, null, null));
        assertThat(PreflightChecks.of(needs, World.passingPreflight(), downloading)).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(PreflightChecks.KERNEL_NOT_STAGED);
            assertThat(f.blocking()).isTrue();
            assertThat(f.message()).contains(URL + ".initrd").contains("downloading");
        });
    }
}
