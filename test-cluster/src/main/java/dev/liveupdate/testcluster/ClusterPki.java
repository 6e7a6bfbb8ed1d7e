package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The test cluster's keys and certificates, generated in-process (no openssl, no network) and written as PEM:
 * a CA, the API server's serving certificate (127.0.0.1, localhost, the in-cluster service names), a
 * cluster-admin client certificate (group system:masters) and the service-account token signing key pair.
 */
public final class ClusterPki {
    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate caCert;
    private final KeyPair adminKeys;
    private final X509Certificate adminCert;

    private ClusterPki(Path dir, X509Certificate caCert, KeyPair adminKeys, X509Certificate adminCert) {
        this.dir = dir;
        this.caCert = caCert;
        this.adminKeys = adminKeys;
        this.adminCert = adminCert;
    }

    /** Generates everything into {@code dir}. */
    public static ClusterPki generate(Path dir) {
        return generate(dir, List.of());
    }

    /** As {@link #generate(Path)}, with more IP addresses in the API server's certificate (e.g. the node's address pods dial). */
    public static ClusterPki generate(Path dir, List<String> extraServerIps) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=liveupdate-test-cluster-ca");
            X509Certificate ca = sign(caName, caKeys, caName, caKeys, true, null, null);

            KeyPair serverKeys = rsa();
            X509Certificate server = sign(new X500Name("CN=kube-apiserver"), serverKeys, caName, caKeys, false,
                    KeyPurposeId.id_kp_serverAuth, serverNames(extraServerIps));

            KeyPair adminKeys = rsa();
            X509Certificate admin = sign(new X500Name("CN=liveupdate-test-admin,O=system:masters"), adminKeys, caName, caKeys,
                    false, KeyPurposeId.id_kp_clientAuth, null);

            KeyPair saKeys = rsa();

            ClusterPki pki = new ClusterPki(dir, ca, adminKeys, admin);
            writePem(pki.caCertFile(), ca);
            writePem(dir.resolve("ca.key"), caKeys.getPrivate());
            writePem(pki.serverCertFile(), server);
            writePem(pki.serverKeyFile(), serverKeys.getPrivate());
            writePem(pki.adminCertFile(), admin);
            writePem(pki.adminKeyFile(), adminKeys.getPrivate());
            writePem(pki.serviceAccountKeyFile(), saKeys.getPrivate());
            writePem(pki.serviceAccountPublicKeyFile(), saKeys.getPublic());
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the test cluster's certificates", e);
        }
    }

    private static GeneralNames serverNames(List<String> extraIps) throws IOException {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        for (String ip : extraIps) {
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "10.0.0.1")); // first IP of the default service range
        for (String dns : List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local")) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys, boolean ca,
                                        KeyPurposeId purpose, GeneralNames sans)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (purpose != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (sans != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
        }
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static void writePem(Path file, Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
        Files.writeString(file, out.toString());
    }

    /** TLS context that trusts only this cluster's CA and presents the cluster-admin certificate. */
    public SSLContext adminSslContext() {
        try {
            char[] pw = "changeit".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", adminKeys.getPrivate(), pw, new Certificate[] {adminCert, caCert});
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCert);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the admin TLS context", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path caCertFile() {
        return dir.resolve("ca.crt");
    }

    public Path serverCertFile() {
        return dir.resolve("apiserver.crt");
    }

    public Path serverKeyFile() {
        return dir.resolve("apiserver.key");
    }

    public Path adminCertFile() {
        return dir.resolve("admin.crt");
    }

    public Path adminKeyFile() {
        return dir.resolve("admin.key");
    }

    /** Private key the API server signs service-account tokens with (and the token controller, if run). */
    public Path serviceAccountKeyFile() {
        return dir.resolve("sa.key");
    }

    /** Public key the API server verifies service-account tokens with. */
    public Path serviceAccountPublicKeyFile() {
        return dir.resolve("sa.pub");
    }
}
