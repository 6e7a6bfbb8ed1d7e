package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** When nodes may start a live update. A window that spans midnight (start after end) is allowed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.start != self.end", messageExpression = "'window start and end must differ (both are ' + self.start + '; for a window across midnight use a start later than the end, e.g. 22:00 to 04:00)'")
public class MaintenanceWindow {
    @JsonPropertyDescription("Days on which the window opens (by its start). Empty means every day.")
    @Size(max = 7)
    private List<Weekday> days;

    @Required
    @Size(max = 5)
    @ValidationRule(value = "self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')", messageExpression = "'window start must be a 24h time HH:MM, e.g. 02:00; got \\'' + self + '\\''")
    @JsonPropertyDescription("Opening time of day, HH:MM (24h), in timeZone.")
    private String start;

    @Required
    @Size(max = 5)
    @ValidationRule(value = "self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')", messageExpression = "'window end must be a 24h time HH:MM, e.g. 05:00; got \\'' + self + '\\''")
    @JsonPropertyDescription("Closing time of day, HH:MM (24h), in timeZone. Nodes already in flight complete after the window closes; no new node starts.")
    private String end;

    @Default("UTC")
    @Size(max = 64)
    @JsonPropertyDescription("IANA time zone of start and end, e.g. Europe/Berlin.")
    private String timeZone;

    public List<Weekday> getDays() {
        return days;
    }

    public void setDays(List<Weekday> days) {
        this.days = days;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getEnd() {
        return end;
    }

    public void setEnd(String end) {
        this.end = end;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
