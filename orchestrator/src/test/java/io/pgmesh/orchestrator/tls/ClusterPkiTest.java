package io.pgmesh.orchestrator.tls;

import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPkiTest {

    @TempDir
    Path home;

    @Test
    void ensureMakesTheCaAndTheOrchestratorCertificateOnceWithPrivateKeys() throws Exception {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        X509Certificate ca = Pem.certificate(pki.caFile());
        X509Certificate orchestrator = Pem.certificate(pki.orchestratorCertificate());
        orchestrator.verify(ca.getPublicKey());
        assertThat(CertificateAuthority.commonName(orchestrator)).isEqualTo(TlsFiles.ORCHESTRATOR_CN);
        assertThat(Files.getPosixFilePermissions(pki.orchestratorKey()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(pki.directory().resolve(ClusterPki.CA_KEY)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(pki.directory()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));

        ClusterPki again = ClusterPki.ensure(home, "c1");
        assertThat(Pem.certificate(again.caFile())).isEqualTo(ca);
        assertThat(Pem.certificate(again.orchestratorCertificate())).isEqualTo(orchestrator);
        assertThat(ClusterPki.caFile(home, "c1")).isEqualTo(pki.caFile());
    }

    @Test
    void theClientTlsIsKeptWhileItsFilesStayAndMadeAnewWhenARotationChangesThem() {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        var first = pki.clientTls();
        assertThat(ClusterPki.open(home, "c1").clientTls()).isSameAs(first);
        pki.issueOrchestrator();
        assertThat(pki.clientTls()).isNotSameAs(first);
    }

    @Test
    void openWithoutUpNamesTheDirectory() {
        assertThatThrownBy(() -> ClusterPki.open(home, "absent"))
                .hasMessageContaining(ClusterPki.dir(home, "absent").toString())
                .hasMessageContaining("pgmesh up");
    }

    @Test
    void aNodeGetsAServerCertificateForItsNamesAndAReplicatorCertificate() throws Exception {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        Map<String, String> files = pki.issueNode("node1", "replicator", List.of("node1", "c1-node1", "172.28.5.11",
                "127.0.0.1", "localhost"));

        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(TlsFiles.DELIVERED);
        X509Certificate ca = Pem.certificate(pki.caFile());
        X509Certificate server = Pem.certificates(files.get(TlsFiles.SERVER_CERT), "server").get(0);
        server.verify(ca.getPublicKey());
        assertThat(ClusterPki.subjectAlternativeNames(server))
                .containsExactly("node1", "c1-node1", "172.28.5.11", "127.0.0.1", "localhost");
        assertThat(server.getSubjectAlternativeNames()).anySatisfy(san -> {
            assertThat(san.get(0)).isEqualTo(7); // iPAddress
            assertThat(san.get(1)).isEqualTo("172.28.5.11");
        });
        X509Certificate replicator = Pem.certificates(files.get(TlsFiles.REPLICATOR_CERT), "r").get(0);
        assertThat(CertificateAuthority.commonName(replicator)).isEqualTo("replicator");
        assertThat(replicator.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(files.get(TlsFiles.SERVER_KEY)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(crls(files.get(TlsFiles.CRL))).hasSize(1);
    }

    @Test
    void reissuingSupersedesTheOldCertificatesInTheCrlAndRaisesTheGeneration() throws Exception {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        Map<String, String> first = pki.issueNode("node0", "replicator", List.of("node0", "127.0.0.1"));
        X509Certificate oldServer = Pem.certificates(first.get(TlsFiles.SERVER_CERT), "s").get(0);
        X509Certificate oldReplicator = Pem.certificates(first.get(TlsFiles.REPLICATOR_CERT), "r").get(0);

        Map<String, String> second = pki.reissueNode("node0", "replicator");

        X509Certificate newServer = Pem.certificates(second.get(TlsFiles.SERVER_CERT), "s").get(0);
        assertThat(newServer.getSerialNumber()).isNotEqualTo(oldServer.getSerialNumber());
        assertThat(ClusterPki.subjectAlternativeNames(newServer)).containsExactly("node0", "127.0.0.1");
        assertThat(Long.parseLong(second.get(TlsFiles.GENERATION)))
                .isGreaterThan(Long.parseLong(first.get(TlsFiles.GENERATION)));
        X509CRL crl = (X509CRL) crls(second.get(TlsFiles.CRL)).get(0);
        crl.verify(Pem.certificate(pki.caFile()).getPublicKey());
        assertThat(crl.isRevoked(oldServer)).isTrue();
        assertThat(crl.isRevoked(oldReplicator)).isTrue();
        assertThat(crl.isRevoked(newServer)).isFalse();
    }

    @Test
    void aCaRollTrustsBothCasUntilItIsFinished() throws Exception {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        X509Certificate oldCa = Pem.certificate(pki.caFile());
        pki.issueNode("node0", "replicator", List.of("node0"));

        pki.beginCaRoll();
        assertThat(pki.caRollInProgress()).isTrue();
        assertThat(pki.trusted()).hasSize(2).contains(oldCa);
        Map<String, String> rolled = pki.reissueNode("node0", "replicator");
        X509Certificate newCa = pki.trusted().get(0);
        Pem.certificates(rolled.get(TlsFiles.SERVER_CERT), "s").get(0).verify(newCa.getPublicKey());
        assertThat(Pem.certificates(rolled.get(TlsFiles.CA), "ca")).containsExactly(newCa, oldCa);
        assertThat(crls(rolled.get(TlsFiles.CRL))).hasSize(2);

        pki.finishCaRoll();
        assertThat(pki.caRollInProgress()).isFalse();
        assertThat(pki.trusted()).containsExactly(newCa);
        assertThat(crls(pki.nodeFiles("node0").get(TlsFiles.CRL))).hasSize(1);
    }

    @Test
    void forgettingANodeRevokesAndDeletesItsCertificates() throws Exception {
        ClusterPki pki = ClusterPki.ensure(home, "c1");
        Map<String, String> files = pki.issueNode("node2", "replicator", List.of("node2"));
        X509Certificate server = Pem.certificates(files.get(TlsFiles.SERVER_CERT), "s").get(0);
        assertThat(pki.nodes()).containsExactly("node2");

        pki.forgetNode("node2");

        assertThat(pki.nodes()).isEmpty();
        assertThat(pki.nodeCertificate("node2")).isEmpty();
        assertThat(((X509CRL) crls(pki.crls()).get(0)).isRevoked(server)).isTrue();
    }

    private static List<CRL> crls(String pem) throws Exception {
        Collection<? extends CRL> all = CertificateFactory.getInstance("X.509")
                .generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        return List.copyOf(all);
    }
}
