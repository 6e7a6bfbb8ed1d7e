package dev.liveupdate.sandbox.realnode;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.sandbox.FleetView;
import dev.liveupdate.sandbox.RolloutSnapshot;
import dev.liveupdate.sandbox.WorkloadState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./hack/sandbox.sh --real-node}: the chart installed with helm onto a real kubelet node of this machine, a
 * workload pod preserving 1 MiB, a plan to the node's next kernel, the same live table as the process fleet, and the
 * workload's SHA-256 verdict. Needs root (containerd, kubelet).
 */
public final class RealNodeSandbox {
    private static final String PLAN = "real-node-to-7-2";
    private static final String WORKLOAD = "vmm-1";

    private final PrintStream out;
    private final boolean interactive;

    public RealNodeSandbox(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Exit code: 0 when the plan Succeeded and the workload verified its bytes. */
    public int run(Path repo, Path workDir, Duration limit, boolean keep) throws InterruptedException {
        Instant started = Instant.now();
        try (RealNodeFleet fleet = RealNodeFleet.start(repo, workDir, line -> out.println("sandbox: " + line))) {
            out.println("sandbox: helm install " + RealNodeFleet.RELEASE + " (operator Deployment, agent DaemonSet, "
                    + "device plugin) and waiting for the pods");
            fleet.installChart(Map.of());
            out.println("sandbox: kubeconfig " + fleet.cluster().kubeconfig() + "; look around with\nsandbox:   "
                    + fleet.cluster().binaries().directory().resolve("kubectl") + " --kubeconfig "
                    + fleet.cluster().kubeconfig() + " get pods -A -o wide");
            fleet.startWorkload(WORKLOAD, 1);
            awaitWorkload(fleet, WorkloadState.PRESERVED, Instant.now().plus(Duration.ofMinutes(3)));
            fleet.applyPlan(fleet.plan(PLAN, RealNodeFleet.KERNEL_RELEASE, TargetPhase.Finished));
            out.println("sandbox: applied LiveUpdate " + PLAN + " (kernel " + RealNodeFleet.KERNEL_RELEASE + ")");

            FleetView view = new FleetView(out, interactive);
            Instant deadline = Instant.now().plus(limit);
            PlanPhase phase;
            WorkloadState workload;
            while (true) {
                LiveUpdate plan = fleet.client().resources(LiveUpdate.class).withName(PLAN).get();
                LiveUpdateNode lun = fleet.client().resources(LiveUpdateNode.class).withName(RealNodeFleet.NODE).get();
                workload = workloadState(fleet);
                phase = plan == null || plan.getStatus() == null ? null : plan.getStatus().getPhase();
                view.show(RolloutSnapshot.header(PLAN, plan, Duration.between(started, Instant.now()).toMillis()),
                        List.of(RolloutSnapshot.row(RealNodeFleet.NODE, "?", lun, workload)));
                if (RolloutSnapshot.settled(phase) && (workload == WorkloadState.VERIFIED || workload.failed() || phase != PlanPhase.Succeeded)
                        || Instant.now().isAfter(deadline)) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500); // display refresh interval, not synchronization
            }
            boolean success = phase == PlanPhase.Succeeded && workload == WorkloadState.VERIFIED;
            out.println("sandbox: plan " + phase + ", workload " + workload.label() + " in "
                    + Duration.between(started, Instant.now()).toSeconds() + " s");
            out.println("RESULT: " + (success ? "SUCCESS" : "FAILURE"));
            if (keep) {
                out.println("sandbox: --keep: the node stays up; Ctrl-C stops everything");
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return success ? 0 : 1;
        }
    }

    private void awaitWorkload(RealNodeFleet fleet, WorkloadState state, Instant deadline) throws InterruptedException {
        while (workloadState(fleet) != state) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the workload pod " + WORKLOAD + " did not reach " + state.label()
                        + "; kubectl logs " + WORKLOAD + " and describe pod " + WORKLOAD + " tell why");
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling the pod log: the API offers no event for a log line
        }
    }

    private static WorkloadState workloadState(RealNodeFleet fleet) {
        try {
            return WorkloadState.fromLines(fleet.workloadLog(WORKLOAD).lines().toList());
        } catch (RuntimeException e) {
            return WorkloadState.STARTING; // the container has not started yet
        }
    }
}
