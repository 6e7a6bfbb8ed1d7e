package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated PKI: files present, serving certificate valid for 127.0.0.1, admin in system:masters, signed by the CA. */
class ClusterPkiTest {

    @Test
    void generatesUsableCertificates(@TempDir Path dir) throws Exception {
        ClusterPki pki = ClusterPki.generate(dir);
        for (Path p : List.of(pki.caCertFile(), pki.serverCertFile(), pki.serverKeyFile(), pki.adminCertFile(), pki.adminKeyFile(),
                pki.serviceAccountKeyFile(), pki.serviceAccountPublicKeyFile())) {
            assertThat(Files.readString(p)).as(p.toString()).startsWith("-----BEGIN ");
        }
        X509Certificate ca = cert(pki.caCertFile());
        X509Certificate server = cert(pki.serverCertFile());
        X509Certificate admin = cert(pki.adminCertFile());
        server.verify(ca.getPublicKey());
        admin.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getSubjectAlternativeNames()).anyMatch(san -> san.get(1).equals("127.0.0.1"));
        assertThat(admin.getSubjectX500Principal().getName()).contains("O=system:masters");
        assertThat(Files.readString(pki.serviceAccountPublicKeyFile())).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(pki.adminSslContext()).isNotNull();
    }

    private static X509Certificate cert(Path p) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(p)));
    }
}
