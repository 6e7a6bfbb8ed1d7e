package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.engine.PlanAuthority.Answer;
import dev.liveupdate.agent.engine.PlanAuthority.Verdict;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where the engine asks the {@link PlanAuthority} (invariant 8): before a preparation starts and before the kexec, never
 * on the restore side. After an unconfirmed answer it waits a little before asking again, so that ticks and workload
 * requests (each a reconcile) do not turn an API-server outage into a GET storm from the engine thread.
 */
final class PlanCheck {
    /** Reason of the Failed phase when the API server says the instruction has no live plan behind it. */
    static final String REASON = "InstructionWithoutPlan";
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final PlanAuthority authority;
    private final EngineContext ctx;
    private String lastKey;
    private Answer lastAnswer;
    private Instant askAgainAt = Instant.MIN;

    PlanCheck(PlanAuthority authority, EngineContext ctx) {
        this.authority = authority;
        this.ctx = ctx;
    }

    /** Asks the API server, or repeats a recent "unconfirmed" for the same instruction. {@code fresh} always asks. */
    Answer confirm(NodeInstruction i, boolean fresh) {
        String key = i.getPlan().getUid() + "/" + i.getPlan().getGeneration() + "/" + i.getStep();
        Instant now = ctx.clock.instant();
        if (!fresh && Objects.equals(key, lastKey) && lastAnswer != null && now.isBefore(askAgainAt)) {
            return lastAnswer;
        }
        Answer a;
        try {
            a = authority.confirm(i);
        } catch (RuntimeException e) {
            a = Answer.unconfirmed("could not ask the API server: " + e);
        }
        lastKey = key;
        lastAnswer = a;
        askAgainAt = a.verdict() == Verdict.UNCONFIRMED ? now.plus(RETRY_AFTER) : Instant.MIN;
        return a;
    }

    /** The Failed message: what is wrong, and who wrote the instruction (so a person can find the hand that did). */
    static String refusal(NodeInstruction i, Answer a, String refused) {
        PlanReference p = i.getPlan();
        return "refusing " + refused + " for instruction " + i.getStep() + " of plan " + p.getName() + " (uid " + p.getUid()
                + ", generation " + p.getGeneration() + ") written by " + (a.source() == null ? "an unknown field manager" : a.source())
                + ": " + a.message() + " (invariant 8: only a live plan that selects this node moves it)";
    }

    static String waiting(NodeInstruction i, Answer a, String what) {
        return "waiting to confirm plan " + i.getPlan().getName() + " with the API server before " + what + ": " + a.message();
    }
}
