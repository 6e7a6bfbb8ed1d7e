package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The control-plane versions pinned in tools/versions.env (the single source of truth that
 * hack/install-controlplane.sh and hack/controlplane-env.sh read too), with the Kubernetes release
 * replaced by env LIVEUPDATE_KUBERNETES_VERSION when set, as those scripts do (hack/test-matrix.sh).
 */
public record ControlPlaneVersions(String kubernetes, String etcd, String helm) {
    public static final String KUBERNETES_VERSION_ENV = "LIVEUPDATE_KUBERNETES_VERSION";

    /** The repository's file when the repository is found, else the copy packaged into this jar at build time. */
    public static ControlPlaneVersions load() {
        return pinned().withKubernetes(System.getenv(KUBERNETES_VERSION_ENV));
    }

    /** tools/versions.env alone, without the environment's choice. */
    static ControlPlaneVersions pinned() {
        try {
            var repo = RepoLayout.find();
            if (repo.isPresent()) {
                return parse(Files.readString(repo.get().versionsFile()), repo.get().versionsFile().toString());
            }
            try (InputStream in = ControlPlaneVersions.class.getResourceAsStream("versions.env")) {
                if (in == null) {
                    throw new IllegalStateException("versions.env is neither in the repository nor packaged in the test-cluster jar");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "test-cluster jar: versions.env");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** These versions with another Kubernetes release (blank: unchanged), as LIVEUPDATE_KUBERNETES_VERSION chooses. */
    ControlPlaneVersions withKubernetes(String chosen) {
        if (chosen == null || chosen.isBlank()) {
            return this;
        }
        if (!chosen.strip().matches("v1\\.\\d+\\.\\d+")) {
            throw new IllegalStateException(KUBERNETES_VERSION_ENV + "='" + chosen + "' is not a Kubernetes release like v1.37.2"
                    + " (unset it to use " + kubernetes + " from tools/versions.env)");
        }
        return new ControlPlaneVersions(chosen.strip(), etcd, helm);
    }

    /** Parses plain KEY=value lines like the bash scripts do (no expansion, # comments). */
    static ControlPlaneVersions parse(String text, String source) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                continue;
            }
            values.put(l.substring(0, eq).strip(), l.substring(eq + 1).replaceAll("\\s", ""));
        }
        String k8s = values.get("KUBERNETES_VERSION");
        String etcd = values.get("ETCD_VERSION");
        String helm = values.get("HELM_VERSION");
        if (k8s == null || etcd == null || helm == null) {
            throw new IllegalStateException(source + " must set KUBERNETES_VERSION, ETCD_VERSION and HELM_VERSION");
        }
        return new ControlPlaneVersions(k8s, etcd, helm);
    }

    /** The cache key directory name, as in hack/controlplane-env.sh. */
    public String cacheKey() {
        return "kube-" + kubernetes + "_etcd-" + etcd + "_helm-" + helm;
    }
}
