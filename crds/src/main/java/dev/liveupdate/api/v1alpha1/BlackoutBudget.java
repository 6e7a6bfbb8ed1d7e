package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How long a plan's nodes may be blacked out before the rollout halts (reason BlackoutBudgetExceeded). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlackoutBudget {
    /** A positive API duration: the pattern first, so duration() only ever sees a string it parses. */
    /** Bounds the CEL cost of matching and printing a duration ("1h30m15s500ms" is 13 characters). */
    static final int MAX_DURATION_LENGTH = 32;
    static final String POSITIVE_DURATION = "self.matches('" + ApiPatterns.DURATION + "') && duration(self) > duration('0s')";

    @Size(max = MAX_DURATION_LENGTH)
    @ValidationRule(value = POSITIVE_DURATION, messageExpression = "'blackoutBudget.maxPerNode must be a duration above 0 such as 5s, 1500ms or 1m30s; got \\'' + self + '\\''")
    @JsonPropertyDescription("The longest blackout one node may have (e.g. 5s). A finished node over it halts the rollout before the next wave; nodes already rebooting complete. Unset: no per-node limit.")
    private String maxPerNode;

    @JsonPropertyDescription("A bound on a percentile of the blackouts of the plan's finished nodes, checked once enough of them finished. Unset: no percentile limit.")
    private BlackoutPercentile percentile;

    public String getMaxPerNode() {
        return maxPerNode;
    }

    public void setMaxPerNode(String maxPerNode) {
        this.maxPerNode = maxPerNode;
    }

    public BlackoutPercentile getPercentile() {
        return percentile;
    }

    public void setPercentile(BlackoutPercentile percentile) {
        this.percentile = percentile;
    }
}
