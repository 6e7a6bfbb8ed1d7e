package dev.liveupdate.operator.orphans;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;

/** Only LiveUpdateNodes that hold an instruction can hold one without a plan; the others wake nothing. */
public class HoldsInstruction implements GenericFilter<LiveUpdateNode> {
    @Override
    public boolean accept(LiveUpdateNode lun) {
        return lun.getSpec() != null && lun.getSpec().getInstruction() != null
                && lun.getSpec().getInstruction().getPlan() != null;
    }
}
