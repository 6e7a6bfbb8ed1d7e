package dev.liveupdate.testcluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A single-member etcd on loopback with a throw-away data dir (fsync off: test data need not survive a crash). */
final class EtcdServer implements AutoCloseable {
    private final ManagedProcess process;
    private final int clientPort;

    private EtcdServer(ManagedProcess process, int clientPort) {
        this.process = process;
        this.clientPort = clientPort;
    }

    static EtcdServer start(ControlPlaneBinaries bin, Path workDir, Duration timeout) {
        int client = FreePorts.next();
        int peer = FreePorts.next();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> cmd = List.of(bin.etcd().toString(),
                "--name=test",
                "--data-dir=" + workDir.resolve("etcd-data"),
                "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=test=" + peerUrl,
                "--unsafe-no-fsync=true",
                "--log-level=warn");
        ManagedProcess p = ManagedProcess.start("etcd", cmd, workDir.resolve("logs/etcd.log"));
        EtcdServer etcd = new EtcdServer(p, client);
        HealthProbe probe = new HealthProbe(null);
        Poll.until("etcd health on " + clientUrl, timeout, Duration.ofMillis(100),
                () -> probe.check(URI.create(clientUrl + "/health"), "\"health\":\"true\""), p::deathNotice);
        return etcd;
    }

    String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
