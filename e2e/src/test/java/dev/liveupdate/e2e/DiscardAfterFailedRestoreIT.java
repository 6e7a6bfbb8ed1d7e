package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.RestoreRule;
import dev.liveupdate.api.v1alpha1.RestoreTimeoutAction;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A restore that times out on a generation-A node, ended by a person, and the node's next update.
 *
 * <p>Two nodes (node-1 ABI A, node-2 ABI B); the sandbox's {@code no-reclaim=node-1} fault keeps node-1's workload
 * from starting again after its kexec, so nobody takes its memfd back. The plan ({@code examples/restore-timeout.yaml})
 * gives the session 5 s to be reclaimed with {@code onTimeout: Fail} and tolerates one failed node. node-1 fails with
 * {@code RestoreTimeout} and its device stays UPDATED; a person's {@code kubectl annotate lun node-1
 * liveupdate.dev/discard-unrestored=<plan uid>} makes the agent send FINISH ({@code Finished/DiscardedOnRequest},
 * device NORMAL again), while the plan keeps counting the failure. Deleting the plan releases and uncordons node-1,
 * and a second plan (another kernel release) prepares and finishes it: proof that the generation-A device was let go.
 */
class DiscardAfterFailedRestoreIT {
    private static final Path REPO = Path.of(System.getProperty("liveupdate.repo", "..")).toAbsolutePath().normalize();
    private static final Path PLAN = REPO.resolve("examples/restore-timeout.yaml");
    private static final Duration STEP_TIMEOUT = FleetScenario.ROLLOUT_TIMEOUT;
    private static final String CORDONED_BY = "liveupdate.dev/cordoned-by";

    @Test
    void aPersonDiscardsTheFailedRestoreAndTheNextPlanUpdatesTheNode() throws Exception {
        try (FleetScenario s = FleetScenario.start("discard-after-failed-restore", 2, "no-reclaim=node-1");
                PhaseRecorder node1 = new PhaseRecorder(s, "node-1")) {
            SimulatedNode failing = s.fleet.nodes().get("node-1");
            assertThat(failing.generation().name()).as("node-1 is ABI A: there a failed restore blocks the next plan").isEqualTo("A");
            assertThat(failing.noReclaim()).isTrue();
            assertThat(s.fleet.nodes().get("node-2").noReclaim()).isFalse();
            s.awaitAllWorkloads(WorkloadState.PRESERVED);

            LiveUpdate plan = s.fleet.applyPlan(PLAN);
            String name = plan.getMetadata().getName();
            String uid = plan.getMetadata().getUid();
            SessionSpec session = plan.getSpec().getSessions().get(0);
            assertThat(session.getRestore().getRule()).isEqualTo(RestoreRule.AllTokensReclaimed);
            assertThat(session.getRestore().getTimeout()).isEqualTo("5s");
            assertThat(session.getRestore().getOnTimeout()).isEqualTo(RestoreTimeoutAction.Fail);
            assertThat(plan.getSpec().getStrategy().getMaxFailures()).isEqualTo(1);

            // 1. Nobody takes node-1's memfd back: after 5 s the agent reports RestoreTimeout and keeps the data.
            LiveUpdateNode failed = awaitLun(s, "node-1", l -> phase(l, uid) == NodePhase.Failed,
                    l -> phase(l, uid) == NodePhase.Finished, "node-1 fails its restore for " + name);
            assertThat(failed.getStatus().getReason()).as(failed.getStatus().getMessage()).isEqualTo("RestoreTimeout");
            assertThat(failed.getStatus().getInventory().getDeviceState()).as("no FINISH: the A device stays UPDATED")
                    .isEqualTo(DeviceState.Updated);
            assertThat(failed.getStatus().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
            assertThat(failing.boots()).as("node-1 did kexec").isEqualTo(2);
            assertThat(failing.workloadState()).isEqualTo(WorkloadState.NOT_RESTARTED);

            // 2. The other node completes within the failure budget; the plan counts node-1 as failed.
            LiveUpdate settled = s.awaitPhase(name, PlanPhase.Failed);
            assertThat(settled.getStatus().getNodeCounts().getFailed()).isEqualTo(1);
            assertThat(settled.getStatus().getNodeCounts().getFinished()).isEqualTo(1);
            assertThat(settled.getStatus().getFailedNodes()).extracting(FailedNode::getNode, FailedNode::getReason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("node-1", "RestoreTimeout"));
            await("node-2's workload verifies its bytes").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> s.fleet.nodes().get("node-2").workloadState() == WorkloadState.VERIFIED);
            assertThat(s.lun("node-2").getStatus().getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
            Node cordoned = node(s, "node-1");
            assertThat(annotation(cordoned, CORDONED_BY)).as("the failed node stays cordoned while its plan exists").isEqualTo(uid);
            assertThat(cordoned.getSpec().getUnschedulable()).isTrue();

            // 3. A person lets go, exactly as the docs say (kubectl annotate is a patch without a resourceVersion: no 409).
            String shownUid = s.kubectl("get", "lun", "node-1", "-o", "jsonpath={.status.plan.uid}").trim();
            assertThat(shownUid).isEqualTo(uid);
            s.kubectl("annotate", "lun", "node-1", LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=" + shownUid);
            LiveUpdateNode discarded = awaitLun(s, "node-1", l -> phase(l, uid) == NodePhase.Finished,
                    l -> false, "node-1 finishes on the discard request");
            assertThat(discarded.getStatus().getReason()).as(discarded.getStatus().getMessage()).isEqualTo("DiscardedOnRequest");
            assertThat(discarded.getStatus().getInventory().getDeviceState()).as("FINISH sent: the A device is NORMAL again")
                    .isEqualTo(DeviceState.Normal);
            assertThat(discarded.getStatus().getLastUpdate().getResult()).as("lastUpdate keeps the failure").isEqualTo(UpdateResult.Failed);
            // The operator recorded the failure and keeps counting it, through its reconciles of the agent's report.
            await("the plan keeps counting node-1 as failed").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        LiveUpdate p = s.get(name);
                        return p.getStatus().getPhase() == PlanPhase.Failed && p.getStatus().getNodeCounts().getFailed() == 1;
                    });

            // 4. Ending the plan releases and uncordons the node.
            s.fleet.client().resources(LiveUpdate.class).withName(name).delete();
            await("plan " + name + " is gone").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> s.get(name) == null);
            await("node-1 uncordoned").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> {
                        Node n = node(s, "node-1");
                        return annotation(n, CORDONED_BY) == null && !Boolean.TRUE.equals(n.getSpec().getUnschedulable());
                    });
            awaitLun(s, "node-1", l -> l.getStatus() != null && l.getStatus().getPhase() == NodePhase.Idle
                    && (l.getSpec() == null || l.getSpec().getInstruction() == null), l -> false, "node-1 released (Idle, no instruction)");

            // 5. The next plan (another release: a node already running a plan's release is skipped) prepares and
            //    finishes node-1, which a generation-A device left UPDATED would refuse (DeviceNotNormal).
            LiveUpdate next = FleetScenario.plan("after-discard", 2);
            next.getSpec().getKernel().setRelease(FleetOptions.NEXT_KERNEL_RELEASE);
            next.getSpec().getKernel().setImage(FleetOptions.NEXT_KERNEL_IMAGE);
            next.getSpec().getKernel().setSha256(FleetOptions.NEXT_KERNEL_SHA256);
            next.getSpec().getStrategy().setCanaryNodes(0);
            // Every workload ended after verifying its bytes: nothing is handed over this time.
            next.getSpec().getSessions().get(0).setMinFiles(0);
            String nextUid = s.fleet.applyPlan(next).getMetadata().getUid();
            // Finished lasts only until the operator releases the node (Idle): watched, not polled.
            await("node-1 finishes plan after-discard").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> assertThat(node1.phasesFor(nextUid)).as("node-1 under plan after-discard: " + node1.seen())
                            .doesNotContain(NodePhase.Failed))
                    .until(() -> node1.phasesFor(nextUid).contains(NodePhase.Finished));
            assertThat(node1.phasesFor(nextUid)).as("node-1's phases under the second plan")
                    .containsSubsequence(NodePhase.Prepared, NodePhase.Rebooting, NodePhase.Finished)
                    .doesNotContain(NodePhase.Failed);
            assertThat(node1.reasonsFor(nextUid)).as("a plain finish, no discard or failure reason").containsOnlyNulls();
            LiveUpdate done = s.awaitPhase("after-discard", PlanPhase.Succeeded);
            LiveUpdateNode updated = s.lun("node-1");
            assertThat(updated.getStatus().getInventory().getKernelRelease()).isEqualTo(FleetOptions.NEXT_KERNEL_RELEASE);
            assertThat(updated.getStatus().getLastUpdate().getPlan().getUid()).isEqualTo(nextUid);
            assertThat(updated.getStatus().getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
            assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(2);
            assertThat(done.getStatus().getNodeCounts().getFailed()).isZero();
            assertThat(failing.boots()).as("node-1: cold boot, then one kexec per plan").isEqualTo(3);
            assertThat(s.fleet.timeline().bootChanges()).containsEntry("node-1", 2).containsEntry("node-2", 2);
        }
    }

    private static NodePhase phase(LiveUpdateNode l, String planUid) {
        var st = l == null ? null : l.getStatus();
        return st == null || st.getPlan() == null || !planUid.equals(st.getPlan().getUid()) ? null : st.getPhase();
    }

    /** Waits for the node's LiveUpdateNode to meet {@code until}; fails at once if it meets {@code wrong}. */
    private static LiveUpdateNode awaitLun(FleetScenario s, String node, Predicate<LiveUpdateNode> until,
            Predicate<LiveUpdateNode> wrong, String what) {
        await(what).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast(what + ": went the wrong way", () -> wrong.test(s.lun(node)))
                .until(() -> until.test(s.lun(node)));
        return s.lun(node);
    }

    private static Node node(FleetScenario s, String name) {
        return s.fleet.client().nodes().withName(name).get();
    }

    private static String annotation(Node n, String key) {
        return n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(key);
    }

    /** Every phase the API server stored for one LiveUpdateNode, with the plan it was for, in order. */
    private static final class PhaseRecorder implements AutoCloseable {
        private record Seen(String planUid, NodePhase phase, String reason) {
        }

        private final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final SharedIndexInformer<LiveUpdateNode> informer;

        PhaseRecorder(FleetScenario s, String node) {
            informer = s.fleet.client().resources(LiveUpdateNode.class).withName(node).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(LiveUpdateNode obj) {
                    record(obj);
                }

                @Override
                public void onUpdate(LiveUpdateNode oldObj, LiveUpdateNode newObj) {
                    record(newObj);
                }

                @Override
                public void onDelete(LiveUpdateNode obj, boolean deletedFinalStateUnknown) {
                }
            }, 0);
        }

        private void record(LiveUpdateNode l) {
            if (l.getStatus() == null || l.getStatus().getPhase() == null) {
                return;
            }
            Seen now = new Seen(l.getStatus().getPlan() == null ? null : l.getStatus().getPlan().getUid(), l.getStatus().getPhase(),
                    l.getStatus().getReason());
            if (seen.isEmpty() || !Objects.equals(seen.get(seen.size() - 1), now)) {
                seen.add(now);
            }
        }

        List<NodePhase> phasesFor(String planUid) {
            return seen.stream().filter(x -> planUid.equals(x.planUid())).map(Seen::phase).toList();
        }

        List<String> reasonsFor(String planUid) {
            return seen.stream().filter(x -> planUid.equals(x.planUid())).map(Seen::reason).toList();
        }

        String seen() {
            return seen.toString();
        }

        @Override
        public void close() {
            informer.close();
        }
    }
}
