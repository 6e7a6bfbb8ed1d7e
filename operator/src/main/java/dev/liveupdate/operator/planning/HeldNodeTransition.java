package dev.liveupdate.operator.planning;

/**
 * The next move for a node this plan holds, by the step it was told last (one class per step). A node whose Node is
 * gone is dropped; a lost ledger is written back first; when the plan winds down or the node left the selector,
 * every step returns the node.
 */
final class HeldNodeTransition {
    private final PassContext pass;
    private final HeldPrepared prepared;
    private final HeldRebooted rebooted;
    private final HeldFinished finished;
    private final HeldCancelled cancelled;
    private final PreparationStartedOver startedOver;

    HeldNodeTransition(PassContext pass) {
        this.pass = pass;
        HeldSettling settling = new HeldSettling(pass);
        this.prepared = new HeldPrepared(pass, settling);
        this.rebooted = new HeldRebooted(pass, settling);
        this.finished = new HeldFinished(pass, settling);
        this.cancelled = new HeldCancelled(pass, settling);
        this.startedOver = new PreparationStartedOver(pass);
    }

    void handle(Tracked t) {
        LunView lun = t.lun();
        if (t.node() == null) {
            // The Node is gone; its LiveUpdateNode follows by garbage collection. Dropped from the plan.
            pass.writes.release(t, null, PlanEvent.warning("NodeDeleted", "node " + t.name()
                    + " was deleted while at step " + lun.step() + "; dropped from the plan"));
            t.bucket = null;
            return;
        }
        if (lun.ledger() == null || !pass.uid.equals(lun.ledger().planUid())) {
            pass.writes.repairLedger(t);
        }
        startedOver.notice(t);
        boolean windDown = pass.mode.windsDown() || !t.entry.selected();
        switch (lun.step()) {
            case Prepared -> prepared.handle(t, windDown);
            case Rebooted -> rebooted.handle(t, windDown);
            case Finished -> finished.handle(t, windDown);
            case Cancelled -> cancelled.handle(t, windDown);
        }
    }
}
