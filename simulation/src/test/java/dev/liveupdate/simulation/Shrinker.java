package dev.liveupdate.simulation;

/**
 * Makes a failing schedule short: drops every fault the failure does not need, then shortens the fault phase to just
 * past the last fault kept (halving first, then to the last fault). A candidate counts when it still fails, with any
 * violation (a smaller schedule that fails differently is still a bug to look at).
 */
final class Shrinker {
    private final ScheduleRunner runner;

    Shrinker(ScheduleRunner runner) {
        this.runner = runner;
    }

    Schedule shrink(Schedule failing) {
        Schedule s = failing;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = s.faults().size() - 1; i >= 0; i--) {
                Schedule c = s.without(i);
                if (fails(c)) {
                    s = c;
                    progress = true;
                }
            }
            int last = s.faults().stream().mapToInt(f -> f.step() + 1).max().orElse(0);
            for (int steps = last; steps < s.faultSteps(); steps = steps + Math.max(1, (s.faultSteps() - steps) / 2)) {
                Schedule c = s.withFaultSteps(steps);
                if (fails(c)) {
                    s = c;
                    progress = true;
                    break;
                }
            }
        }
        return s;
    }

    private boolean fails(Schedule s) {
        return runner.run(s).violation() != null;
    }
}
