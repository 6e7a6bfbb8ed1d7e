package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorMatcherTest {
    private static final Map<String, String> KVM = Map.of("pool", "kvm", "zone", "a");

    @Test
    void emptySelectorSelectsEverythingAndNullNothing() {
        assertThat(SelectorMatcher.matches(new LabelSelector(), KVM)).isTrue();
        assertThat(SelectorMatcher.matches(null, KVM)).isFalse();
    }

    @Test
    void matchLabelsAndSetBasedExpressions() {
        LabelSelector s = new LabelSelectorBuilder().addToMatchLabels("pool", "kvm")
                .addNewMatchExpression().withKey("zone").withOperator("In").withValues("a", "b").endMatchExpression()
                .addNewMatchExpression().withKey("drain").withOperator("DoesNotExist").endMatchExpression()
                .build();
        assertThat(SelectorMatcher.matches(s, KVM)).isTrue();
        assertThat(SelectorMatcher.matches(s, Map.of("pool", "kvm", "zone", "c"))).isFalse();
        assertThat(SelectorMatcher.matches(s, Map.of("pool", "kvm", "zone", "a", "drain", ""))).isFalse();
        LabelSelector notIn = new LabelSelectorBuilder().addNewMatchExpression().withKey("zone").withOperator("NotIn")
                .withValues("a").endMatchExpression().addNewMatchExpression().withKey("pool").withOperator("Exists")
                .endMatchExpression().build();
        assertThat(SelectorMatcher.matches(notIn, KVM)).isFalse();
        assertThat(SelectorMatcher.matches(notIn, Map.of("pool", "x"))).isTrue();
        assertThat(SelectorMatcher.matches(notIn, Map.of("zone", "b"))).isFalse();
    }
}
