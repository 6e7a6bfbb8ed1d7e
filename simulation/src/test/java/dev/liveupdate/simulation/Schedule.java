package dev.liveupdate.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * What one run does: the seed (fleet, plan, every scheduling choice) and the faults, each at a step of the fault
 * phase. After {@link #faultSteps} the faults stop and the run must settle (liveness). The shrinker removes faults
 * and shortens the fault phase; {@link #replayProperty} writes the result as one system property.
 */
record Schedule(long seed, int faultSteps, List<Fault> faults) {
    enum Kind {
        AGENT_CRASH, AGENT_DIES_AFTER_KERNEL_CALL, OPERATOR_CRASH, OPERATOR_DIES_MID_PASS, OPERATOR_WRITE_FAULT,
        AGENT_WRITE_FAULT, PAUSE_TOGGLE, CANCEL, EDIT_MAX_UNAVAILABLE, RAISE_TARGET, DELETE_PLAN, NODE_DELETED_AND_READDED,
        LEDGER_REMOVED_BY_HAND, CORDONED_BY_PERSON, SECOND_PLAN, CLOCK_JUMP
    }

    /** One fault at a step: {@code target} picks a node or plan, {@code param} a variant. */
    record Fault(int step, Kind kind, int target, int param) {
        @Override
        public String toString() {
            return step + ":" + kind + ":" + target + ":" + param;
        }

        static Fault parse(String s) {
            String[] p = s.split(":");
            return new Fault(Integer.parseInt(p[0]), Kind.valueOf(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        }
    }

    /** The schedule a seed stands for: up to 8 faults in a fault phase of up to 400 steps. */
    static Schedule draw(long seed) {
        Random r = new Random(seed ^ 0x9E3779B97F4A7C15L);
        int faultSteps = 20 + r.nextInt(380);
        int n = r.nextInt(9);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(r.nextInt(faultSteps), Kind.values()[r.nextInt(Kind.values().length)], r.nextInt(8), r.nextInt(12)));
        }
        faults.sort((a, b) -> Integer.compare(a.step, b.step));
        return new Schedule(seed, faultSteps, List.copyOf(faults));
    }

    String replayProperty() {
        return "-Dsim.replay=" + seed + "/" + faultSteps + "/" + faults.stream().map(Fault::toString).collect(Collectors.joining(","));
    }

    static Schedule parse(String replay) {
        String[] p = replay.split("/", -1);
        List<Fault> faults = p.length < 3 || p[2].isEmpty() ? List.of()
                : Arrays.stream(p[2].split(",")).map(Fault::parse).toList();
        return new Schedule(Long.parseLong(p[0]), Integer.parseInt(p[1]), faults);
    }

    Schedule without(int index) {
        List<Fault> f = new ArrayList<>(faults);
        f.remove(index);
        return new Schedule(seed, faultSteps, List.copyOf(f));
    }

    Schedule withFaultSteps(int steps) {
        return new Schedule(seed, steps, faults.stream().filter(f -> f.step < steps).toList());
    }
}
