package io.pgmesh.bench;

import io.pgmesh.orchestrator.tls.ClusterPki;
import io.pgmesh.orchestrator.tls.Pem;
import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Section 10 renders from made-up results; the native mesh's TLS material is issued by ClusterPki (no Docker). */
class TlsSectionTest {

    private static final Load LOAD = new Load(1.5, 1.0, 0.5);

    private static Results.ThroughputRound round(String target, int clients, int round, long inserts, double drain) {
        return new Results.ThroughputRound(target, clients, round, inserts, 0, 10.0, drain, inserts * 2e-4,
                inserts * 5e-5, Map.of(), LOAD);
    }

    /**
     * 1 client: 2,000/s without TLS, 1,900/s with (0.95x, met); 8 clients: 5,000/s and 4,000/s (0.80x, missed).
     * Latency p50 idle 2.0 vs 2.5 ms (+0.5, met), under load 3.0 vs 4.5 ms (+1.5, missed).
     */
    static TlsBench.Run sample() {
        List<Results.ThroughputRound> throughput = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            throughput.add(round(TlsBench.OFF, 1, r, 20_000, 0.02));
            throughput.add(round(TlsBench.ON, 1, r, 19_000, 0.03));
            throughput.add(round(TlsBench.OFF, 8, r, 50_000, 0.05));
            throughput.add(round(TlsBench.ON, 8, r, 40_000, 0.06));
        }
        List<TlsBench.LatencyRun> latency = List.of(
                new TlsBench.LatencyRun(TlsBench.OFF, false, 1, List.of(1.0, 2.0, 3.0), 0, 0, 0, LOAD),
                new TlsBench.LatencyRun(TlsBench.ON, false, 1, List.of(1.5, 2.5, 3.5), 0, 0, 0, LOAD),
                new TlsBench.LatencyRun(TlsBench.OFF, true, 1, List.of(2.0, 3.0, 9.0), 0, 1000, 1.0, LOAD),
                new TlsBench.LatencyRun(TlsBench.ON, true, 1, List.of(3.5, 4.5, 12.0), 0, 900, 1.0, LOAD));
        List<TlsBench.Connects> connects = List.of(
                new TlsBench.Connects(TlsBench.OFF, 1, List.of(3.0, 3.0, 4.0), LOAD),
                new TlsBench.Connects(TlsBench.ON, 1, List.of(5.0, 5.0, 7.0), LOAD));
        TlsBench.Rpc rpc = new TlsBench.Rpc(3, "node0", List.of(0.8, 0.9, 2.0), List.of(0.2, 0.3),
                List.of(4.0, 5.0), LOAD);
        return new TlsBench.Run(3, 2.5, 2.9, Duration.ofSeconds(10), throughput, latency, connects, rpc, LOAD,
                new Load(2.0, 1.5, 1.0));
    }

    @Test
    void theSectionComparesBothMeshesAgainstTheTargets() {
        String md = TlsBench.section(sample(), "Measured then.");
        assertThat(md).startsWith("## 10. TLS cost").contains("Measured then.")
                .contains("at most 10% of insert throughput and at most 1.0 ms of p50 replication latency")
                .contains("| insert suite, load mode, 1 client (median inserts/s) | 2,000/s | 1,900/s | 0.95x | -5.0%"
                        + " | >= 0.90x | **yes** |")
                .contains("| insert suite, load mode, 8 clients (median inserts/s) | 5,000/s | 4,000/s | 0.80x | -20.0%"
                        + " | >= 0.90x | **no** |")
                .contains("| replication latency p50, idle | 2.00 ms | 2.50 ms | 1.25x | +0.50 ms | <= +1.0 ms | **yes** |")
                .contains("| replication latency p50, under the insert suite | 3.00 ms | 4.50 ms | 1.50x | +1.50 ms"
                        + " | <= +1.0 ms | **no** |")
                .contains("| replication latency p99, idle | 3.00 ms | 3.50 ms | 1.17x | +0.50 ms | - | - |")
                .contains("| new connection to node0, p50 (TCP, TLS handshake, SCRAM) | 3.00 ms | 5.00 ms | 1.67x"
                        + " | +2.00 ms | - | - |")
                .contains("**Target missed: insert suite, load mode, 8 clients (median inserts/s); replication latency"
                        + " p50, under the insert suite.**")
                .contains("2.50 s without TLS, 2.90 s with")
                .contains("| 8 | native mesh, TLS | 4,000/s | 4,000/s, 4,000/s, 4,000/s | 0.80x | 0 | 0.06 s, 0.06 s,"
                        + " 0.06 s | 200 ms | 50 ms | 1.50 |")
                .contains("| native mesh, TLS | insert suite, load mode | 3 | 4.50 ms | 12.00 ms | 12.00 ms | 12.00 ms"
                        + " | 0 | 900/s | 1.50 |")
                .contains("| native mesh, no TLS | 3 | 3.00 ms | 4.00 ms | 4.00 ms | 4.00 ms | 1.50 |")
                .contains("### JSON-RPC over mutual TLS")
                .contains("| status, open connection | 0.900 ms | 2.000 ms | 2.000 ms | 2.000 ms | p50 < 1.000 ms | **yes** |")
                .contains("| status, new connection (TCP, mutual-TLS handshake, call) | 4.000 ms | 5.000 ms | 5.000 ms"
                        + " | 5.000 ms | - | - |");
    }

    @Test
    void allTargetsMetIsSaidPlainly() {
        TlsBench.Run s = sample();
        List<Results.ThroughputRound> even = s.throughput().stream()
                .map(t -> t.target().equals(TlsBench.ON) && t.concurrency() == 8 ? round(TlsBench.ON, 8, t.round(), 49_000, 0) : t)
                .toList();
        List<TlsBench.LatencyRun> close = s.latency().stream()
                .map(l -> l.target().equals(TlsBench.ON) && l.underLoad()
                        ? new TlsBench.LatencyRun(TlsBench.ON, true, 1, List.of(3.0, 3.5, 9.0), 0, 900, 1.0, LOAD) : l)
                .toList();
        TlsBench.Run met = new TlsBench.Run(3, 2.5, 2.9, s.round(), even, close, s.connects(), s.rpc(),
                s.loadAtStart(), s.loadAtEnd());
        assertThat(TlsBench.section(met, "x")).contains("**Both targets met.**").doesNotContain("Target missed");
    }

    @Test
    void theSectionGoesAfterSection9AndBeforeTheHandWrittenPart() {
        String md = TlsBench.section(sample(), "Measured then.");
        String existing = "# B\n\n## 1. Bring-up\n\none\n\n## 9. several machines\n\nnine\n\n## Targets missed\n\ny\n";
        String once = Report.withSection(existing, TlsBench.HEADING, md);
        assertThat(once).contains("nine\n\n## 10. TLS cost").contains("\n## Targets missed\n\ny\n")
                .contains("## 1. Bring-up\n\none\n");
        assertThat(once.indexOf("## 10. ")).isLessThan(once.indexOf("## Targets missed"));
        String again = Report.withSection(once, TlsBench.HEADING, md.replace("Measured then.", "Measured again."));
        assertThat(again).contains("Measured again.").doesNotContain("Measured then.");
        assertThat(again.indexOf("## 10. ")).isEqualTo(again.lastIndexOf("## 10. "));
    }

    @Test
    void theNativeMeshsMaterialIsIssuedByClusterPkiForTheNamesItIsReachedAt(@TempDir Path dir) throws Exception {
        TlsMaterial tls = TlsMaterial.issue(dir.resolve("home"), "pgmesh-bench-tls-on", 164, 3);
        assertThat(tls.caFile()).isEqualTo(ClusterPki.caFile(dir.resolve("home"), "pgmesh-bench-tls-on"));
        for (int i = 0; i < 3; i++) {
            Path node = tls.dir().resolve("node" + i);
            for (String name : List.of(TlsFiles.CA, TlsFiles.CRL, TlsFiles.SERVER_CERT, TlsFiles.SERVER_KEY,
                    TlsFiles.REPLICATOR_CERT, TlsFiles.REPLICATOR_KEY)) {
                assertThat(node.resolve(name)).isRegularFile();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve(name))))
                        .isEqualTo("rw-------");
            }
            X509Certificate server = Pem.certificate(node.resolve(TlsFiles.SERVER_CERT));
            assertThat(ClusterPki.subjectAlternativeNames(server)).contains("node" + i,
                    "pgmesh-bench-tls-on-node" + i, "172.28.164." + (10 + i), "127.0.0.1", "localhost");
            X509Certificate replicator = Pem.certificate(node.resolve(TlsFiles.REPLICATOR_CERT));
            assertThat(replicator.getSubjectX500Principal().getName()).contains("CN=" + TlsMaterial.REPLICATION_ROLE);
            assertThat(Files.readString(node.resolve(TlsFiles.CA))).isEqualTo(Files.readString(tls.caFile()));
        }
        // a second run starts from a fresh CA
        String firstCa = Files.readString(tls.caFile());
        TlsMaterial again = TlsMaterial.issue(dir.resolve("home"), "pgmesh-bench-tls-on", 164, 3);
        assertThat(Files.readString(again.caFile())).isNotEqualTo(firstCa);
    }
}
