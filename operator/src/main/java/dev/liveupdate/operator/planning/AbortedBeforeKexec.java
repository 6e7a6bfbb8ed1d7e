package dev.liveupdate.operator.planning;

import java.util.Set;

/**
 * A node told {@code Rebooted} whose agent failed before it called reboot(KEXEC): the freeze timed out
 * ({@code FreezeTimeout}, with {@code onTimeout: Abort}), the reboot preconditions did not hold ({@code RebootRefused}),
 * or the plan could not be confirmed ({@code InstructionWithoutPlan}), and the node still runs the boot the plan saw
 * before its instruction. Nothing happened to it, so unlike a failure after a reboot (whose state a person must look
 * at) it is not left cordoned: the plan uncordons it and it stops holding the unavailability budget. It stays Failed.
 * A failed reboot syscall ({@code RebootFailed}) is not among these: the kernel refused the kexec, a person looks.
 */
final class AbortedBeforeKexec {
    /** The agent's reasons for a failure decided before any reboot syscall (engine {@code RebootStep}). */
    static final Set<String> REASONS = Set.of("FreezeTimeout", "RebootRefused", "InstructionWithoutPlan");

    private AbortedBeforeKexec() {
    }

    static boolean applies(Tracked t) {
        Failure f = t.failure;
        NodeView n = t.node();
        return f != null && REASONS.contains(f.reason()) && n != null && n.bootID() != null && t.ledger != null
                && n.bootID().equals(t.ledger.bootBefore());
    }
}
