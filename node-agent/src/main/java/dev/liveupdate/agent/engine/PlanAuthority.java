package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;

/**
 * Invariant 8, second half: whether the plan an instruction names is live and holds this node. The instruction itself
 * proves nothing (anyone allowed to edit a LiveUpdateNode's spec could write one by hand), so the answer must come from
 * the API server, not from the instruction or a cache ({@code dev.liveupdate.agent.k8s.KubePlanAuthority}).
 *
 * <p>Asked on the engine thread: an implementation answers within a bounded time, and anything it cannot establish
 * (API error, timeout, the watch behind the stored instruction) is {@link Verdict#UNCONFIRMED}, never a go-ahead.
 */
public interface PlanAuthority {
    /**
     * Standalone mode (instruction file, no API server, e.g. the QEMU guest): there is no plan to ask about; whoever can
     * write the instruction file is root on the host already.
     */
    PlanAuthority STANDALONE = i -> Answer.confirmed("the instruction file (standalone mode)");

    Answer confirm(NodeInstruction instruction);

    enum Verdict {
        /** The plan exists with this uid, is not being deleted, selects this node, and the node holds this instruction. */
        CONFIRMED,
        /** The API server says no: refuse the instruction. */
        REFUSED,
        /** Could not be established now: do nothing, ask again later. */
        UNCONFIRMED
    }

    /**
     * @param message why (for REFUSED: what is wrong with the plan); names the plan
     * @param source  who wrote the instruction (the field manager of spec.instruction), or null when unknown
     */
    record Answer(Verdict verdict, String message, String source) {
        public static Answer confirmed(String source) {
            return new Answer(Verdict.CONFIRMED, "confirmed", source);
        }

        public static Answer refused(String message, String source) {
            return new Answer(Verdict.REFUSED, message, source);
        }

        public static Answer unconfirmed(String message) {
            return new Answer(Verdict.UNCONFIRMED, message, null);
        }
    }
}
