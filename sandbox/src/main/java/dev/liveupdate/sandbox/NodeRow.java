package dev.liveupdate.sandbox;

/** What the live view shows for one node. */
public record NodeRow(String node, String abi, String desired, String phase, String blackout, String workload) {
    public NodeRow {
        abi = orDash(abi);
        desired = orDash(desired);
        phase = orDash(phase);
        blackout = orDash(blackout);
        workload = orDash(workload);
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
