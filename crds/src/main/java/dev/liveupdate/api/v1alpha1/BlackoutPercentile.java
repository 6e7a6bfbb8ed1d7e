package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** "The q-th percentile of the finished nodes' blackouts stays at or below max", once minNodes finished. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlackoutPercentile {
    @Required
    @Min(value = 0, inclusive = false)
    @Max(100)
    // The schema's bounds name the value given; the rule says what it means (string(self) is beyond the CEL budget).
    @ValidationRule(value = "self > 0.0 && self <= 100.0", message = "blackoutBudget.percentile.quantile must be above 0 and at most 100 (95 for p95, 99.9 for p99.9)")
    @JsonPropertyDescription("Which percentile, above 0 and at most 100 (e.g. 95, 99.9; 100 is the slowest node). Nearest-rank method: the smallest measured blackout that at least this percentage of the measured nodes do not exceed.")
    private Double quantile;

    @Required
    @Size(max = BlackoutBudget.MAX_DURATION_LENGTH)
    @ValidationRule(value = BlackoutBudget.POSITIVE_DURATION, messageExpression = "'blackoutBudget.percentile.max must be a duration above 0 such as 3s or 2500ms; got \\'' + self + '\\''")
    @JsonPropertyDescription("The bound (e.g. 3s): the percentile above it halts the rollout before the next wave.")
    private String max;

    @Default("5")
    @Min(1)
    @ValidationRule(value = "self >= 1", message = "blackoutBudget.percentile.minNodes must be at least 1")
    @JsonPropertyDescription("How many finished nodes with a measured blackout the percentile needs before it is checked (default 5); until then only maxPerNode applies.")
    private Integer minNodes;

    public Double getQuantile() {
        return quantile;
    }

    public void setQuantile(Double quantile) {
        this.quantile = quantile;
    }

    public String getMax() {
        return max;
    }

    public void setMax(String max) {
        this.max = max;
    }

    public Integer getMinNodes() {
        return minNodes;
    }

    public void setMinNodes(Integer minNodes) {
        this.minNodes = minNodes;
    }
}
