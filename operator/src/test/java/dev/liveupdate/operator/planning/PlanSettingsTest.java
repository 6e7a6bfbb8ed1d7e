package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

class PlanSettingsTest {

    private static LiveUpdateSpec spec() {
        LiveUpdateSpec spec = new LiveUpdateSpec();
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease("7.2.0");
        kernel.setImage("/boot/vmlinuz-7.2.0");
        spec.setKernel(kernel);
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build());
        return spec;
    }

    @Test
    void soundSpecIsValid() {
        assertThat(PlanSettings.from(spec()).problems()).isEmpty();
    }

    @Test
    void malformedSelectorTermMakesThePlanInvalidWithTheTermNamed() {
        LiveUpdateSpec spec = spec();
        spec.setNodeSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("pool").withOperator("Exists")
                .withValues("no-such-pool").endMatchExpression().build());

        PlanSettings settings = PlanSettings.from(spec);

        assertThat(settings.valid()).isFalse();
        assertThat(settings.problems()).singleElement().asString()
                .contains("{key: pool, operator: Exists}").contains("no-such-pool");
    }
}
