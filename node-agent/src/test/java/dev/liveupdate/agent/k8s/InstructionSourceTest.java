package dev.liveupdate.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstructionSourceTest {
    private static ManagedFieldsEntry entry(String manager, String time, Map<String, Object> fields) {
        FieldsV1 f = new FieldsV1();
        fields.forEach(f::setAdditionalProperty);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withTime(time).withFieldsV1(f).build();
    }

    @Test
    void namesTheLatestManagerOfSpecInstructionNotOfOtherFields() {
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName("n").withManagedFields(
                entry("liveupdate-operator", "2025-06-01T10:00:00Z", Map.of("f:spec", Map.of("f:instruction", Map.of()))),
                entry("liveupdate-agent", "2025-06-01T10:05:00Z", Map.of("f:status", Map.of("f:phase", Map.of()))),
                entry("kubectl-edit", "2025-06-01T10:02:00Z", Map.of("f:spec", Map.of("f:instruction", Map.of("f:step", Map.of())))))
                .build());
        assertThat(InstructionSource.of(lun)).hasValue("field manager 'kubectl-edit' (Update at 2025-06-01T10:02:00Z)");
    }

    @Test
    void emptyWhenNothingRecordsTheInstruction() {
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName("n").build());
        assertThat(InstructionSource.of(lun)).isEmpty();
        lun.getMetadata().setManagedFields(java.util.List.of(entry("x", null, Map.of("f:spec", Map.of("f:nodeName", Map.of())))));
        assertThat(InstructionSource.of(lun)).isEmpty();
    }
}
