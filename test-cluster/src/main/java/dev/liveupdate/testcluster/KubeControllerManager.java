package dev.liveupdate.testcluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-controller-manager running only the controllers tests need (see {@link #DEFAULT_CONTROLLERS}). It leaves out
 * node-lifecycle (there is no kubelet: it would mark every fake Node NotReady after 40 s and taint it), the
 * workload controllers (the chart's Deployment and DaemonSet must not spawn pods nobody runs) and everything else.
 */
final class KubeControllerManager implements AutoCloseable {
    /**
     * garbage-collector: deletes a LiveUpdateNode when its owner Node goes. namespace: finishes namespace deletion.
     * serviceaccount: the "default" ServiceAccount in new namespaces. root-ca-certificate-publisher: kube-root-ca.crt.
     * validatingadmissionpolicy-status: type-checks policies and reports warnings in their status.
     */
    static final List<String> DEFAULT_CONTROLLERS = List.of(
            "garbage-collector-controller",
            "namespace-controller",
            "serviceaccount-controller",
            "root-ca-certificate-publisher-controller",
            "validatingadmissionpolicy-status-controller");

    private final ManagedProcess process;

    private KubeControllerManager(ManagedProcess process) {
        this.process = process;
    }

    static KubeControllerManager start(ControlPlaneBinaries bin, Path workDir, ClusterPki pki, Path kubeconfig,
                                       List<String> controllers, Duration timeout) {
        int port = FreePorts.next();
        List<String> cmd = new ArrayList<>(List.of(bin.kubeControllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--cert-dir=" + workDir.resolve("kcm-certs"),
                "--tls-cert-file=" + pki.serverCertFile(),
                "--tls-private-key-file=" + pki.serverKeyFile(),
                "--leader-elect=false",
                "--controllers=" + String.join(",", controllers),
                "--root-ca-file=" + pki.caCertFile(),
                "--service-account-private-key-file=" + pki.serviceAccountKeyFile(),
                "--profiling=false"));
        ManagedProcess p = ManagedProcess.start("kube-controller-manager", cmd, workDir.resolve("logs/kube-controller-manager.log"));
        KubeControllerManager kcm = new KubeControllerManager(p);
        HealthProbe probe = new HealthProbe(pki.adminSslContext());
        try {
            Poll.until("kube-controller-manager /healthz on 127.0.0.1:" + port, timeout, Duration.ofMillis(200),
                    () -> probe.check(URI.create("https://127.0.0.1:" + port + "/healthz"), "ok"), p::deathNotice);
        } catch (RuntimeException e) {
            kcm.close();
            throw e;
        }
        return kcm;
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
