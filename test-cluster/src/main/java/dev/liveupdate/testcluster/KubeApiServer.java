package dev.liveupdate.testcluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver on 127.0.0.1 with client-certificate authentication, RBAC authorization, bound service-account
 * tokens (issuer + signing key) and the default admission plugins, which in Kubernetes 1.34 include
 * ValidatingAdmissionPolicy (GA since 1.30, on by default).
 */
final class KubeApiServer implements AutoCloseable {
    /** The issuer written into service-account tokens; tokens are accepted for this audience by default. */
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    private final ManagedProcess process;
    private final int port;

    private KubeApiServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * {@code advertiseAddress} null: loopback only. Otherwise the server also listens on that address and advertises
     * it in the {@code kubernetes} Service's endpoints, so pods on a real node reach it through kube-proxy.
     */
    static KubeApiServer start(ControlPlaneBinaries bin, Path workDir, ClusterPki pki, EtcdServer etcd,
                               List<String> extraArgs, String advertiseAddress, Duration timeout) {
        int port = FreePorts.next();
        List<String> cmd = new ArrayList<>(List.of(bin.kubeApiServer().toString(),
                "--etcd-servers=" + etcd.clientUrl(),
                "--bind-address=" + (advertiseAddress == null ? "127.0.0.1" : "0.0.0.0"),
                "--advertise-address=" + (advertiseAddress == null ? "127.0.0.1" : advertiseAddress),
                "--secure-port=" + port,
                "--cert-dir=" + workDir.resolve("apiserver-certs"),
                "--tls-cert-file=" + pki.serverCertFile(),
                "--tls-private-key-file=" + pki.serverKeyFile(),
                "--client-ca-file=" + pki.caCertFile(),
                "--authorization-mode=RBAC",
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + pki.serviceAccountPublicKeyFile(),
                "--service-account-signing-key-file=" + pki.serviceAccountKeyFile(),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
                "--profiling=false"));
        if (advertiseAddress == null) {
            // Nothing can reach a loopback server through the kubernetes Service, and its Endpoints never accepted
            // 127.0.0.1 anyway; since 1.37 (kubernetes#138102) the lease reconciler refuses to start with it.
            cmd.add("--endpoint-reconciler-type=none");
        }
        if (advertiseAddress != null) {
            // kubectl logs/exec: the API server calls the real kubelet, which trusts the cluster CA (AlwaysAllow).
            cmd.add("--kubelet-client-certificate=" + pki.adminCertFile());
            cmd.add("--kubelet-client-key=" + pki.adminKeyFile());
            cmd.add("--kubelet-preferred-address-types=InternalIP");
        }
        cmd.addAll(extraArgs);
        ManagedProcess p = ManagedProcess.start("kube-apiserver", cmd, workDir.resolve("logs/kube-apiserver.log"));
        KubeApiServer server = new KubeApiServer(p, port);
        HealthProbe probe = new HealthProbe(pki.adminSslContext());
        try {
            Poll.until("kube-apiserver /readyz on " + server.url(), timeout, Duration.ofMillis(200),
                    () -> probe.check(URI.create(server.url() + "/readyz"), "ok"), p::deathNotice);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String url() {
        return "https://127.0.0.1:" + port;
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
