package io.pgmesh.orchestrator.lab;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.core.util.CertificateUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class LabCertsTest {

    @TempDir
    Path dir;

    private final LabSettings settings = LabSettings.defaults(Path.of("lab"));

    @Test
    void eachServerCertificateVerifiesAgainstTheCaAndNamesItsHost() throws Exception {
        LabCerts.ensure(dir, settings.hosts(2));

        X509Certificate ca = LabCerts.readCertificate(LabCerts.clientDir(dir).resolve(LabCerts.CA));
        for (LabHost h : settings.hosts(2)) {
            Path hostDir = LabCerts.hostDir(dir, h.name());
            X509Certificate server = LabCerts.readCertificate(hostDir.resolve(LabCerts.SERVER_CERT));
            assertThatCode(() -> server.verify(ca.getPublicKey())).doesNotThrowAnyException();
            server.checkValidity();
            // SAN entries: [type, value]; 7 = IP address, 2 = DNS name
            assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                    List.of(7, h.address()), List.of(2, h.name()), List.of(2, h.container()));
            assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
            assertThat(LabCerts.readCertificate(hostDir.resolve(LabCerts.CA))).isEqualTo(ca);
            assertThat(signsFor(LabCerts.readKey(hostDir.resolve(LabCerts.SERVER_KEY)), server)).isTrue();
        }
        assertThat(settings.host(1).address()).isEqualTo("172.29.10.11");
        assertThat(settings.host(2).container()).isEqualTo("pgmesh-lab-h2");
    }

    @Test
    void theClientMaterialIsWhatDockerJavaReadsFromDockerCertPath() throws Exception {
        LabCerts.ensure(dir, settings.hosts(1));
        Path client = LabCerts.clientDir(dir);

        assertThat(CertificateUtils.verifyCertificatesExist(client.toString())).isTrue();
        // what a client with withDockerCertPath(client) does (it also registers the BC provider the next call needs)
        assertThat(new LocalDirectorySSLConfig(client.toString()).getSSLContext()).isNotNull();
        KeyStore keys = CertificateUtils.createKeyStore(Files.readString(client.resolve("key.pem")),
                Files.readString(client.resolve("cert.pem")));
        assertThat(keys.size()).isEqualTo(1);

        X509Certificate cert = LabCerts.readCertificate(client.resolve("cert.pem"));
        cert.verify(LabCerts.readCertificate(client.resolve("ca.pem")).getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
        assertThat(Files.readString(client.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void keysAreOwnerOnlyAndExistingFilesAreKept() throws Exception {
        assertThat(LabCerts.ensure(dir, settings.hosts(2))).isTrue();
        for (Path key : List.of(LabCerts.clientDir(dir).resolve("key.pem"), LabCerts.clientDir(dir).resolve("ca-key.pem"),
                LabCerts.hostDir(dir, "h1").resolve("server-key.pem"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString())
                    .isEqualTo("rw-------");
        }
        String before = Files.readString(LabCerts.hostDir(dir, "h1").resolve("server-cert.pem"));

        assertThat(LabCerts.ensure(dir, settings.hosts(2))).isFalse();
        assertThat(Files.readString(LabCerts.hostDir(dir, "h1").resolve("server-cert.pem"))).isEqualTo(before);

        assertThat(LabCerts.ensure(dir, settings.hosts(3))).as("h3 is signed by the CA that is there").isTrue();
        X509Certificate h3 = LabCerts.readCertificate(LabCerts.hostDir(dir, "h3").resolve("server-cert.pem"));
        h3.verify(LabCerts.readCertificate(LabCerts.clientDir(dir).resolve("ca.pem")).getPublicKey());
    }

    /** Whether the key is the one the certificate's public key belongs to. */
    private static boolean signsFor(java.security.PrivateKey key, X509Certificate cert) throws Exception {
        byte[] data = "lab".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.security.Signature sign = java.security.Signature.getInstance("SHA256withECDSA");
        sign.initSign(key);
        sign.update(data);
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance("SHA256withECDSA");
        verify.initVerify(cert.getPublicKey());
        verify.update(data);
        return verify.verify(signature);
    }
}
