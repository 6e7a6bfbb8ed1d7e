package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** kube-scheduler and kube-proxy for the real node: the scheduler binds pods to it, kube-proxy routes Services. */
final class NodeServices {
    private NodeServices() {
    }

    static ManagedProcess startScheduler(ControlPlaneBinaries bin, Path dir, Path kubeconfig, ClusterPki pki, Duration timeout) {
        int port = FreePorts.next();
        ManagedProcess p = ManagedProcess.start("kube-scheduler", List.of(bin.kubeScheduler().toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--tls-cert-file=" + pki.serverCertFile(),
                "--tls-private-key-file=" + pki.serverKeyFile(),
                "--leader-elect=false"), dir.resolve("logs/kube-scheduler.log"));
        awaitHealthy(p, new HealthProbe(pki.adminSslContext()), URI.create("https://127.0.0.1:" + port + "/healthz"), "ok", timeout);
        return p;
    }

    /**
     * kube-proxy in iptables mode, leaving the host's conntrack sysctls alone (maxPerCore 0) and without
     * route_localnet (localhostNodePorts off): a test must not change how the host routes.
     */
    static ManagedProcess startProxy(ControlPlaneBinaries bin, Path dir, Path kubeconfig, String nodeName, String podSubnet,
                                     Duration timeout) {
        int healthz = FreePorts.next();
        int metrics = FreePorts.next();
        Path config = dir.resolve("kube-proxy-config.yaml");
        try {
            Files.writeString(config, """
                    apiVersion: kubeproxy.config.k8s.io/v1alpha1
                    kind: KubeProxyConfiguration
                    clientConnection: {kubeconfig: %s}
                    mode: iptables
                    clusterCIDR: %s
                    hostnameOverride: %s
                    healthzBindAddress: 127.0.0.1:%d
                    metricsBindAddress: 127.0.0.1:%d
                    iptables: {localhostNodePorts: false}
                    conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
                    """.formatted(kubeconfig, podSubnet, nodeName, healthz, metrics));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess p = ManagedProcess.start("kube-proxy", List.of(bin.kubeProxy().toString(), "--config=" + config),
                dir.resolve("logs/kube-proxy.log"));
        // /livez: 200 once the rules are synced; /healthz also wants the Node registered (nodeEligible), which is the
        // kubelet's job and may come later. The body is JSON (lastUpdated, currentTime).
        awaitHealthy(p, new HealthProbe(null), URI.create("http://127.0.0.1:" + healthz + "/livez"), "lastUpdated", timeout);
        return p;
    }

    /** Removes the iptables chains kube-proxy wrote (kube-proxy --cleanup), after it stopped. */
    static HostCommand.Result cleanupProxyRules(ControlPlaneBinaries bin) {
        return HostCommand.run(List.of(bin.kubeProxy().toString(), "--cleanup"));
    }

    private static void awaitHealthy(ManagedProcess p, HealthProbe probe, URI uri, String expected, Duration timeout) {
        try {
            Poll.until(p.name() + " " + uri, timeout, Duration.ofMillis(250), () -> probe.check(uri, expected), p::deathNotice);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }
}
