package dev.liveupdate.api;

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

    @Test
    void malformedTermsSelectNothingAndAreNamed() {
        LabelSelector existsWithValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("pool")
                .withOperator("Exists").withValues("no-such-pool").endMatchExpression().build();
        LabelSelector inWithoutValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("pool")
                .withOperator("In").endMatchExpression().build();
        LabelSelector notInWithoutValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("zone")
                .withOperator("NotIn").endMatchExpression().build();

        assertThat(SelectorMatcher.matches(existsWithValues, KVM)).isFalse();
        assertThat(SelectorMatcher.matches(inWithoutValues, KVM)).isFalse();
        assertThat(SelectorMatcher.matches(notInWithoutValues, KVM)).isFalse();
        assertThat(SelectorMatcher.problem(existsWithValues)).hasValueSatisfying(p -> assertThat(p)
                .contains("{key: pool, operator: Exists}").contains("must not list values [no-such-pool]"));
        assertThat(SelectorMatcher.problem(inWithoutValues)).hasValueSatisfying(p -> assertThat(p)
                .contains("{key: pool, operator: In} needs at least one value"));
        assertThat(SelectorMatcher.problem(new LabelSelectorBuilder().addToMatchLabels("pool", "kvm").build())).isEmpty();
    }
}
