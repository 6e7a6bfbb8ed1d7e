package dev.liveupdate.simulation;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import java.util.List;

/**
 * Bugs the simulation found that are recorded, not yet fixed (docs/testing.md, "Findings"): a run that ends in one of
 * them is counted and printed with its replay property but does not fail the tier, so the tier keeps guarding
 * everything else while a fix is under way. {@code -Dsim.strict=true} fails on them too.
 *
 * <p>None is recorded now: F1, F4 and F6 were fixed and their schedules are in {@link RegressionSchedulesTest}. To
 * record one, recognise its end state here (e.g. a liveness failure with a LiveUpdateNode in a given shape), give it the
 * next number, and add its replay to docs/testing.md with a test that shows it still happens.
 */
final class KnownFindings {
    private KnownFindings() {
    }

    /** The finding a failed run's end state shows, or null when it is a new failure. */
    static String classify(String violation, List<LiveUpdateNode> luns, List<LiveUpdate> plans) {
        return null;
    }
}
