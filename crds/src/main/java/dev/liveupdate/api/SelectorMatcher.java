package dev.liveupdate.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes label-selector semantics (matchLabels and set-based matchExpressions). Shared by the operator (against its cache)
 * and the node agent (against its own Node, right before it acts on an instruction: invariant 8), so both read a plan's
 * nodeSelector the same way.
 * A malformed term (values on Exists/DoesNotExist, none on In/NotIn) selects nothing: the CRD rejects such terms,
 * and a plan stored before that rule existed must not select more than its author meant.
 */
public final class SelectorMatcher {
    private SelectorMatcher() {
    }

    /** A null selector matches nothing; an empty one ({}) matches everything, as in the API. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The first malformed term, described as the API server's rule would, or empty when the selector is sound. */
    public static Optional<String> problem(LabelSelector selector) {
        if (selector == null || selector.getMatchExpressions() == null) {
            return Optional.empty();
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
            boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
            String term = "nodeSelector term {key: " + r.getKey() + ", operator: " + r.getOperator() + "}";
            switch (String.valueOf(r.getOperator())) {
                case "In", "NotIn" -> {
                    if (!hasValues) {
                        return Optional.of(term + " needs at least one value");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (hasValues) {
                        return Optional.of(term + " must not list values " + r.getValues()
                                + ": it would select every node by the key alone");
                    }
                }
                default -> {
                    return Optional.of(term + ": unknown operator (In, NotIn, Exists or DoesNotExist)");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean wantsValues = "In".equals(r.getOperator()) || "NotIn".equals(r.getOperator());
        if (wantsValues == values.isEmpty()) {
            return false; // malformed term: select nothing rather than more than meant
        }
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false; // unknown operators select nothing rather than everything
        };
    }
}
