package dev.liveupdate.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** A kubeconfig for one service-account token, so each process authenticates as itself. */
final class TokenKubeconfig {
    private TokenKubeconfig() {
    }

    static Path write(Path file, String server, Path caCert, String user, String token) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: %s
                current-context: sandbox
                """.formatted(server, Base64.getEncoder().encodeToString(Files.readAllBytes(caCert)), user, token, user);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
