package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.TargetPhase;

/**
 * A held node told {@code Rebooted}: disruptive until verified (Ready, new boot ID, planned kernel release, agent
 * Updated); then asked to finish or settled at Updated. Another release fails at once (KernelMismatch); anything
 * else not verified within the reboot timeout fails with a message naming the check that did not hold. A verified
 * node passes the plan's {@link HealthGate} before it goes on; once on its gates, their timeout applies, not this one.
 */
final class HeldRebooted {
    private final PassContext pass;
    private final HeldSettling settling;
    private final HealthGate gate;

    HeldRebooted(PassContext pass, HeldSettling settling) {
        this.pass = pass;
        this.settling = settling;
        this.gate = new HealthGate(pass, settling);
    }

    void handle(Tracked t, boolean windDown) {
        t.disruptive = true;
        if (t.failure != null) {
            settling.heldFailed(t, windDown);
            return;
        }
        PlanSettings s = pass.settings;
        NodeView n = t.node();
        AgentReport a = t.lun().agent();
        boolean agentUpdated = t.agentPhase == NodePhase.Updated || t.agentPhase == NodePhase.Finished;
        boolean bootChanged = t.ledger.bootBefore() != null && n.bootID() != null
                && !n.bootID().equals(t.ledger.bootBefore());
        boolean releaseOk = s.kernelRelease() != null && s.kernelRelease().equals(n.kernelRelease());
        if (t.agentPhase == NodePhase.Failed) {
            settling.fail(t, new Failure(Texts.orElse(a.reason(), Reasons.UPDATE_FAILED),
                    Texts.orElse(a.message(), "the agent reported Failed after the reboot instruction"), pass.now,
                    true));
            return;
        }
        if (agentUpdated && bootChanged && n.ready() && !releaseOk) {
            settling.fail(t, new Failure(Reasons.KERNEL_MISMATCH, "node booted " + n.kernelRelease() + ", expected "
                    + s.kernelRelease(), pass.now, true));
            return;
        }
        boolean verified = agentUpdated && bootChanged && n.ready();
        if ((verified || gate.started(t)) && !windDown && !gate.passed(t)) {
            return;
        }
        if (verified || gate.started(t)) {
            // Verified (step 6): Ready, new boot, planned release; health gates held.
            t.disruptive = false;
            t.bucket = NodeBucket.UPDATED;
            boolean finish = windDown || s.target() == TargetPhase.Finished;
            if (finish) {
                if (pass.mode.mayTakeStep() || windDown) {
                    pass.writes.issue(t, NodeStep.Finished, t.ledger.withStep(pass.now), null);
                }
            } else {
                settling.settleAtTarget(t);
                pass.writes.uncordonIfOurs(t);
            }
            return;
        }
        if (pass.expired(t, s.rebootTimeout())) {
            String why = !n.ready() ? "node is not Ready"
                    : !bootChanged ? "boot ID did not change"
                    : !agentUpdated ? "agent phase is " + Texts.phaseOf(t, pass.uid)
                    : "node runs " + n.kernelRelease();
            settling.fail(t, new Failure(Reasons.REBOOT_TIMEOUT, "not verified in the new kernel within "
                    + Texts.human(s.rebootTimeout()) + ": " + why, pass.now, true));
            return;
        }
        t.bucket = NodeBucket.REBOOTING;
        pass.wakeAt(t.ledger.stepSince().plus(s.rebootTimeout()));
    }
}
