package dev.liveupdate.simulation;

/**
 * Makes a failing schedule short: drops every fault the failure does not need, then shortens the fault phase to just
 * past the last fault kept. A candidate counts only when it fails the same way (same check), so one bug is never
 * shrunk into another.
 */
final class Shrinker {
    private final ScheduleRunner runner;

    Shrinker(ScheduleRunner runner) {
        this.runner = runner;
    }

    Schedule shrink(Schedule failing) {
        Simulation.Result original = runner.run(failing);
        kind = kind(original);
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

    private String kind;

    /** A candidate counts when it fails the same way: same check (text before the first ':'). */
    private boolean fails(Schedule s) {
        Simulation.Result r = runner.run(s);
        return r.violation() != null && kind.equals(kind(r));
    }

    private static String kind(Simulation.Result r) {
        String v = r.violation();
        int colon = v.indexOf(':');
        return colon < 0 ? v : v.substring(0, colon);
    }
}
