package dev.liveupdate.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operator Deployment of the sandbox: N replicas of the packaged operator, each a process with the chart's operator
 * token. With more than one they elect a leader on a Lease in the release namespace under their own names
 * ({@code operator-1}, {@code operator-2}, ...: the processes share a host name, so the default identity would make
 * them one). A replica that exits is started again like the kubelet restarts a container, under a new name
 * ({@code operator-1-restart1}), so the Lease shows which process leads.
 */
final class OperatorReplicas {
    static final String LEASE = "liveupdate-operator-leader";
    /**
     * Timings short enough for a take-over in a few seconds, still ordered as LeaderElectionTimings requires (retry <
     * renew deadline < lease), with the renew deadline three retries long so one slow renewal on a loaded machine does
     * not cost the leadership.
     */
    static final Duration LEASE_DURATION = Duration.ofSeconds(5);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(3);
    static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

    /** One running incarnation of replica {@code index} (1-based). */
    record Replica(int index, String identity, ManagedProcess process) {
    }

    private final int count;
    private final Path jar;
    private final Path dir;
    private final Path kubeconfig;
    private final Consumer<String> progress;
    private final Consumer<String> event;
    private final List<Replica> current = new ArrayList<>();
    private final List<Integer> restarts = new ArrayList<>();
    /** Set by stop(): from then on nothing is restarted, even by a supervisor pass already under way. */
    private boolean stopped;

    /** {@code progress} hears about the first start, {@code event} about restarts (the fleet's event list). */
    OperatorReplicas(int count, Path jar, Path dir, Path kubeconfig, Consumer<String> progress, Consumer<String> event) {
        this.progress = progress;
        this.count = count;
        this.jar = jar;
        this.dir = dir;
        this.kubeconfig = kubeconfig;
        this.event = event;
    }

    synchronized void startAll() throws IOException {
        for (int i = 1; i <= count; i++) {
            restarts.add(0);
            Replica r = start(i);
            progress.accept(r.identity() + " started (pid " + r.process().pid() + ", log " + r.process().log() + ")");
            current.add(r);
        }
    }

    private Replica start(int index) throws IOException {
        int restart = restarts.get(index - 1);
        String identity = "operator-" + index + (restart == 0 ? "" : "-restart" + restart);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // No agent DaemonSet is configured (the sandbox's agents are processes), so the agent-rollout controller is not
        // started and needs neither liveupdate.operator.agent-namespace nor RBAC for DaemonSets.
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-Dquarkus.http.port=0"));
        if (count == 1) {
            command.add("-Dliveupdate.leader-election.enabled=false");
        } else {
            command.addAll(List.of("-Dliveupdate.leader-election.enabled=true",
                    "-Dliveupdate.leader-election.lease-name=" + LEASE,
                    "-Dliveupdate.leader-election.lease-namespace=" + FleetOptions.NAMESPACE,
                    "-Dliveupdate.leader-election.identity=" + identity,
                    "-Dliveupdate.leader-election.lease-duration=" + LEASE_DURATION.toSeconds() + "s",
                    "-Dliveupdate.leader-election.renew-deadline=" + RENEW_DEADLINE.toSeconds() + "s",
                    "-Dliveupdate.leader-election.retry-period=" + RETRY_PERIOD.toSeconds() + "s"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        Path log = dir.resolve(count == 1 ? "operator.log" : identity + ".log");
        ManagedProcess p = ManagedProcess.start(identity, command, Map.of("KUBECONFIG", kubeconfig.toString()), dir, log);
        return new Replica(index, identity, p);
    }

    /** Starts again every replica whose process ended, as the Deployment's kubelet would. */
    synchronized void restartExited() throws IOException {
        if (stopped) {
            return;
        }
        for (int i = 0; i < current.size(); i++) {
            Replica r = current.get(i);
            if (!r.process().isAlive()) {
                restarts.set(i, restarts.get(i) + 1);
                Replica next = start(r.index());
                current.set(i, next);
                event.accept(r.identity() + " exited (" + r.process().exitCode() + "), restarted like a kubelet would as "
                        + next.identity() + "; see " + r.process().log());
            }
        }
    }

    synchronized Optional<Replica> byIdentity(String identity) {
        return current.stream().filter(r -> r.identity().equals(identity)).findFirst();
    }

    synchronized List<Replica> replicas() {
        return List.copyOf(current);
    }

    int count() {
        return count;
    }

    synchronized void stop(Duration grace) {
        stopped = true;
        current.forEach(r -> r.process().stop(grace));
    }
}
