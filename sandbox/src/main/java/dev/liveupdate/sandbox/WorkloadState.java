package dev.liveupdate.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a node's sample workload last said (it prints one line per milestone, see lu-client's SampleWorkload). */
public enum WorkloadState {
    STARTING("starting"), PRESERVED("preserved"), RE_REGISTERED("re-registered"), VERIFIED("verified"),
    MISMATCH("MISMATCH"), LOST("LOST"), TIMEOUT("TIMEOUT"),
    /** Not a line of the workload: the sandbox did not start it again after the kexec (fault no-reclaim). */
    NOT_RESTARTED("not restarted (no-reclaim)");

    private final String label;

    WorkloadState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean failed() {
        return this == MISMATCH || this == LOST || this == TIMEOUT || this == NOT_RESTARTED;
    }

    /** The latest milestone in the workload's log (the log spans both boots). */
    public static WorkloadState fromLog(Path log) {
        List<String> lines;
        try {
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return STARTING;
        }
        return fromLines(lines);
    }

    /** The latest milestone in these log lines (e.g. a workload pod's log read through the API server). */
    public static WorkloadState fromLines(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            for (WorkloadState s : values()) {
                String marker = s.name().replace('_', '-');
                if (s != STARTING && s != NOT_RESTARTED && (line.startsWith(marker + " ") || line.equals(marker))) {
                    return s;
                }
            }
        }
        return STARTING;
    }
}
