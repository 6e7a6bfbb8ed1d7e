package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Writes a self-contained kubeconfig (certificates embedded) for the cluster-admin user, usable by kubectl and helm. */
final class Kubeconfig {
    static final String CONTEXT = "liveupdate-test";

    private Kubeconfig() {
    }

    static Path write(Path file, String serverUrl, ClusterPki pki) {
        try {
            String yaml = """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: %1$s
                      cluster:
                        server: %2$s
                        certificate-authority-data: %3$s
                    users:
                    - name: %1$s-admin
                      user:
                        client-certificate-data: %4$s
                        client-key-data: %5$s
                    contexts:
                    - name: %1$s
                      context:
                        cluster: %1$s
                        user: %1$s-admin
                        namespace: default
                    current-context: %1$s
                    """.formatted(CONTEXT, serverUrl, b64(pki.caCertFile()), b64(pki.adminCertFile()), b64(pki.adminKeyFile()));
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig that authenticates with a bearer token (an agent or operator process under test). */
    static Path writeForToken(Path file, String serverUrl, Path caCert, String user, String token) {
        try {
            String yaml = """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: %1$s
                      cluster:
                        server: %2$s
                        certificate-authority-data: %3$s
                    users:
                    - name: %4$s
                      user:
                        token: %5$s
                    contexts:
                    - name: %1$s
                      context:
                        cluster: %1$s
                        user: %4$s
                        namespace: default
                    current-context: %1$s
                    """.formatted(CONTEXT, serverUrl, b64(caCert), user, token);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(Path p) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(p));
    }
}
