package dev.liveupdate.agent.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Who wrote a LiveUpdateNode's spec.instruction, read from metadata.managedFields: the field manager that owns
 * {@code f:spec/f:instruction} (the operator's, or e.g. "kubectl-edit" for a hand-written one). Named in the refusal of
 * an instruction without a live plan so that a person can find the hand that wrote it.
 */
public final class InstructionSource {
    private InstructionSource() {
    }

    /** The most recent manager of spec.instruction, as "manager (operation, time)"; empty when none is recorded. */
    public static Optional<String> of(HasMetadata object) {
        if (object == null || object.getMetadata() == null || object.getMetadata().getManagedFields() == null) {
            return Optional.empty();
        }
        return object.getMetadata().getManagedFields().stream()
                .filter(InstructionSource::ownsInstruction)
                .max(Comparator.comparing(e -> e.getTime() == null ? "" : e.getTime()))
                .map(e -> "field manager '" + e.getManager() + "' (" + e.getOperation() + (e.getTime() == null ? "" : " at " + e.getTime()) + ")");
    }

    private static boolean ownsInstruction(ManagedFieldsEntry e) {
        if (e.getFieldsV1() == null || e.getFieldsV1().getAdditionalProperties() == null) {
            return false;
        }
        return e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec && spec.containsKey("f:instruction");
    }
}
