package dev.liveupdate.api.crdgen;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.util.List;

/**
 * Validates a label selector as Kubernetes itself does (apimachinery's ValidateLabelSelector), so a plan cannot
 * select more than its author meant: {@code Exists}/{@code DoesNotExist} take no values, {@code In}/{@code NotIn}
 * need at least one, keys are qualified names and values label values. Every message names the offending term.
 *
 * <p>The size bounds (32 labels, 16 expressions of 64 values each) keep the CEL cost estimate within the API
 * server's budget for the 16 blocker selectors of a plan; real selectors are far smaller.
 */
final class LabelSelectorRules {
    /** Optional DNS-subdomain prefix and '/', then a name of 1-63 characters, alphanumeric at both ends. */
    static final String KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
    /** Empty, or 1-63 characters, alphanumeric at both ends. */
    static final String VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";
    /** Explanations embedded in single-quoted CEL strings: no single quotes in them. */
    private static final String KEY_TEXT = "a label key is an optional DNS-subdomain prefix and a slash, then 1 to 63"
            + " letters, digits, dashes, underscores or dots, starting and ending with a letter or digit";
    private static final String VALUE_TEXT = "a label value is empty or 1 to 63 letters, digits, dashes, underscores or"
            + " dots, starting and ending with a letter or digit";

    private LabelSelectorRules() {
    }

    static void apply(JSONSchemaProps matchLabels, JSONSchemaProps expressions, JSONSchemaProps requirement) {
        matchLabels.setMaxProperties(32L);
        matchLabels.getAdditionalProperties().getSchema().setMaxLength(63L);
        matchLabels.setXKubernetesValidations(List.of(rule(
                "self.all(k, k.matches('" + KEY + "') && self[k].matches('" + VALUE + "'))",
                "'matchLabels: ' + self.filter(k, !(k.matches('" + KEY + "') && self[k].matches('" + VALUE + "')))"
                        + ".map(k, k + ': \"' + self[k] + '\"')[0] + ' is not a valid label; " + KEY_TEXT + ", and "
                        + VALUE_TEXT + "'")));
        expressions.setMaxItems(16L);
        JSONSchemaProps values = requirement.getProperties().get("values");
        values.setMaxItems(64L);
        values.getItems().getSchema().setMaxLength(63L);
        requirement.getProperties().get("key").setMaxLength(317L);
        String term = "'matchExpressions: {key: ' + self.key + ', operator: ' + self.operator + '}";
        requirement.setXKubernetesValidations(List.of(
                rule("self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0"
                                + " : !has(self.values) || size(self.values) == 0",
                        "self.operator in ['In', 'NotIn'] ? " + term + " needs at least one value'"
                                + " : " + term + " must not list values (got \\'' + self.values[0] + '\\''"
                                + " + (size(self.values) > 1 ? ' and more' : '') + '): Exists and DoesNotExist test only"
                                + " the key; use In to match values'"),
                rule("self.key.matches('" + KEY + "')",
                        "'matchExpressions: key \"' + self.key + '\" is not valid: " + KEY_TEXT + "'"),
                rule("!has(self.values) || self.values.all(v, v.matches('" + VALUE + "'))",
                        "'matchExpressions: value \"' + self.values.filter(v, !v.matches('" + VALUE + "'))[0]"
                                + " + '\" of key ' + self.key + ' is not valid: " + VALUE_TEXT + "'")));
    }

    private static ValidationRule rule(String rule, String messageExpression) {
        return new ValidationRuleBuilder().withRule(rule).withMessageExpression(messageExpression).build();
    }
}
