package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.tls.ClusterPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code rotate-certs} and {@code rotate-passwords} on fake nodes. */
class RotationTest {

    @TempDir
    Path home;

    @Test
    void rotateCertsGivesEveryNodeNewCertificatesThenTheRevocationsOneNodeAtATime() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(3);
        ClusterPki pki = c.ctx().pki();
        BigInteger before = pki.nodeCertificate("node1").orElseThrow().getSerialNumber();
        BigInteger orchestratorBefore = orchestratorSerial(pki);

        CertRotation.Result result = new CertRotation(c.ctx()).run(false);

        assertThat(result.nodes()).containsExactly("node0", "node1", "node2");
        assertThat(result.newCa()).isFalse();
        assertThat(pki.nodeCertificate("node1").orElseThrow().getSerialNumber()).isNotEqualTo(before);
        assertThat(orchestratorSerial(pki)).isNotEqualTo(orchestratorBefore);
        assertThat(pki.crls()).isNotBlank();
        for (String node : List.of("node0", "node1", "node2")) {
            assertThat(c.runtime.node(node).tlsGeneration()).as(node).isEqualTo(result.generation());
        }
        // certificates first, node by node, then the round that revokes the old ones
        int lastNewCertificates = lastIndexOf(c.log, "installTls: new certificates");
        int firstRevocation = indexOf(c.log, "installTls: revoking the superseded certificates");
        assertThat(lastNewCertificates).isPositive().isLessThan(firstRevocation);
    }

    @Test
    void rotateCertsWithCaTrustsBothCasFirstAndOnlyTheNewOneAtTheEnd() throws Exception {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(2);
        ClusterPki pki = c.ctx().pki();
        var oldCa = pki.trusted().get(0);

        CertRotation.Result result = new CertRotation(c.ctx()).run(true);

        assertThat(result.newCa()).isTrue();
        assertThat(pki.trusted()).hasSize(1).doesNotContain(oldCa);
        assertThat(pki.caRollInProgress()).isFalse();
        pki.nodeCertificate("node0").orElseThrow().verify(pki.trusted().get(0).getPublicKey());
        int trustBoth = indexOf(c.log, "trusting the old and the new CA");
        int newCertificates = indexOf(c.log, "installTls: new certificates");
        assertThat(trustBoth).isPositive().isLessThan(newCertificates);
        assertThat(c.log).anyMatch(l -> l.contains("the previous CA is no longer trusted"));
    }

    @Test
    void aStoppedNodeStopsARotationBeforeAnythingChanges() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(3);
        NodeContainer node2 = c.runtime.list(FakeCluster.NAME).get(2);
        c.runtime.stop(node2);
        BigInteger before = c.ctx().pki().nodeCertificate("node0").orElseThrow().getSerialNumber();

        assertThatThrownBy(() -> new CertRotation(c.ctx()).run(false))
                .hasMessage("cannot rotate certificates while node2 is stopped: it would keep certificates the others"
                        + " stop accepting; start it first ('pgmesh start')");
        assertThatThrownBy(() -> new PasswordRotation(c.ctx()).run()).hasMessageStartingWith(
                "cannot rotate passwords while node2 is stopped");
        assertThat(c.ctx().pki().nodeCertificate("node0").orElseThrow().getSerialNumber()).isEqualTo(before);
    }

    @Test
    void rotatePasswordsStoresPendingPasswordsFirstAndPromotesThemAtTheEnd() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(2);
        String writerBefore = secrets(c).password(ClusterSecrets.WRITER);
        // an interrupted rotation left pending passwords: a rerun finishes with the same ones
        Map<String, String> pending = ClusterSecrets.pendingPasswords(home, FakeCluster.NAME,
                List.of(ClusterSecrets.OWNER, ClusterSecrets.REPLICATOR, ClusterSecrets.WRITER, ClusterSecrets.READER));

        PasswordRotation.Result result = new PasswordRotation(c.ctx()).run();

        assertThat(result.rotated()).containsExactly("owner", "replicator", "writer", "reader");
        assertThat(result.configured()).isEmpty();
        String writerAfter = secrets(c).password(ClusterSecrets.WRITER);
        assertThat(writerAfter).isNotEqualTo(writerBefore).isEqualTo(pending.get(ClusterSecrets.WRITER));
        assertThat(ClusterSecrets.pendingPasswords(home, FakeCluster.NAME, List.of(ClusterSecrets.WRITER))
                .get(ClusterSecrets.WRITER)).as("nothing pending after the rotation: a new one is generated")
                .isNotEqualTo(writerAfter);
        assertThat(c.log).anyMatch(l -> l.startsWith("[node1] new passwords for owner, replicator, writer, reader"));
    }

    private static ClusterSecrets secrets(FakeCluster c) {
        return ClusterSecrets.resolve(c.ctx().home(), FakeCluster.NAME, Map.of(), false);
    }

    private static BigInteger orchestratorSerial(ClusterPki pki) {
        try {
            return io.pgmesh.protocol.Pem.certificates(pki.orchestratorCertificate()).get(0).getSerialNumber();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(List<String> log, String part) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<String> log, String part) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
