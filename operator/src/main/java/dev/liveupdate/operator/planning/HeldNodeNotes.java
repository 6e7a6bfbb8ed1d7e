package dev.liveupdate.operator.planning;

/**
 * What a held node's LiveUpdateNode tells the plan at the start of a pass: the plan's own notes (the ledger: wave,
 * clocks, failure) and the agent's phase, which counts only once the agent reports on the latest instruction.
 */
final class HeldNodeNotes {
    private final PassContext pass;

    HeldNodeNotes(PassContext pass) {
        this.pass = pass;
    }

    void read(Tracked t) {
        if (!t.held) {
            return;
        }
        String uid = pass.uid;
        LunView lun = t.lun();
        Ledger l = lun.ledger();
        if (l == null || !uid.equals(l.planUid())) {
            // Someone removed our notes: start the clocks again rather than guess (timeouts get longer, never
            // shorter) and write them back.
            l = new Ledger(uid, 0, pass.now, pass.now, null, null, null, null);
        }
        t.ledger = l;
        t.wave = l.wave();
        t.failure = l.failure();
        AgentReport a = lun.agent();
        if (a != null && uid.equals(a.planUid()) && lun.agentCaughtUp()) {
            t.agentPhase = a.phase();
        }
    }
}
