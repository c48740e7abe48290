package io.pgmesh.tests;

import io.pgmesh.orchestrator.backup.BackupException;
import io.pgmesh.orchestrator.backup.ClusterBackup;
import io.pgmesh.orchestrator.backup.ClusterRestore;
import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.TableChecksum;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A backup of a 3-node cluster, taken beside a writer at full speed, restores into a new cluster: every row
 * acknowledged before the backup began is on every restored node with its version stamps, every node's checksums
 * equal the manifest's, the restored mesh replicates and continues each node's keys after the restored ones. Bad
 * files and an existing cluster are refused by the CLI with their exit codes, before anything is created.
 */
class BackupRestoreIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final long RANGE = 2_147_483_647L;

    @Test
    void aBackupTakenUnderWritesRestoresIntoANewClusterWithEqualChecksumsOnEveryNode() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "backup-it"));
        Path file = dir.resolve("cluster.pgmesh");
        Files.deleteIfExists(file);
        try (TestCluster source = TestCluster.start("pgmesh-itbk", 82, 3);
             TestCluster target = TestCluster.start("pgmesh-itrs", 81, 0)) {
            ClusterContext ctx = source.ctx;
            // rows written on every node, some updated on another node, one deleted
            for (NodeContainer n : source.nodes) {
                for (int i = 0; i < 50; i++) {
                    TestClusters.insertAsWriter(ctx, n, "row " + i + " from " + n.node());
                }
            }
            new ReplicationDrain(ctx).await(TIMEOUT);
            try (Connection c = TestClusters.connectAsWriter(ctx, source.nodes.get(1)); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE table1 SET col2 = 'updated on node1' WHERE id <= 10");
                s.executeUpdate("DELETE FROM table1 WHERE id = 20");
            }
            new ReplicationDrain(ctx).await(TIMEOUT);
            Map<Long, String> before = versions(ctx, source.nodes.get(2));

            ClusterBackup.Result backup;
            try (InsertWriter writer = new InsertWriter(ctx, source.nodes.get(0), ConcurrentHashMap.newKeySet())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.count() > 100);
                backup = new ClusterBackup(ctx).run(file, TIMEOUT, TIMEOUT);
                int atEnd = writer.count();
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.count() > atEnd + 50);
                writer.stop();
                assertThat(writer.error()).as("writer error").isNull();
            }
            assertThat(file).exists();
            TableChecksum sum = backup.manifest().contents().get(0);
            assertThat(sum.rows()).as("the rows before the backup and some of the writer's").isGreaterThan(149 + 100);
            assertThat(source.log).anyMatch(l -> l.startsWith("[node0] dumping table1 with pg_dump"));

            // bad input through the CLI: exit codes and one-line errors, nothing created
            Path truncated = Files.write(dir.resolve("truncated.pgmesh"),
                    Arrays.copyOf(Files.readAllBytes(file), (int) (Files.size(file) / 2)));
            CliRun bad = target.pgmesh("restore", truncated.toString());
            assertThat(bad.exitCode()).as(bad.err()).isEqualTo(8);
            assertThat(bad.err()).startsWith("pgmesh: error: " + truncated + " is not a usable pgmesh backup: not a zip"
                    + " archive, or truncated").doesNotContain("--verbose");
            CliRun exists = source.pgmesh("restore", file.toString());
            assertThat(exists.exitCode()).as(exists.err()).isEqualTo(6);
            assertThat(exists.err()).contains("cluster pgmesh-itbk already exists (3 container(s), 3 data volume(s))");
            CliRun overwrite = source.pgmesh("backup", file.toString());
            assertThat(overwrite.exitCode()).as(overwrite.err()).isEqualTo(2);
            assertThat(target.ctx.runtime().list(target.name)).isEmpty();

            ClusterRestore.Result restored = new ClusterRestore(target.ctx).run(file, 3, TestClusters::ensureImage,
                    TIMEOUT);
            assertThat(restored.verified()).hasSize(3).allSatisfy(v ->
                    assertThat(v.tables()).singleElement().satisfies(t -> assertThat(t.matches(sum)).isTrue()));
            List<NodeContainer> nodes = target.ctx.runtime().list(target.name).stream()
                    .sorted(Comparator.comparingInt(NodeContainer::index)).toList();
            assertThat(nodes).extracting(NodeContainer::node).containsExactly("node0", "node1", "node2");
            for (NodeContainer n : nodes) {
                Map<Long, String> there = versions(target.ctx, n);
                before.forEach((id, version) -> assertThat(there.get(id)).as(n.node() + " id " + id).isEqualTo(version));
                assertThat(there).as(n.node() + ": the deleted row stays deleted").doesNotContainKey(20L);
                assertThat(there).hasSize((int) sum.rows());
            }

            // the restored mesh replicates, and each node's keys continue after its restored rows
            Map<String, Long> highest = new TreeMap<>();
            for (NodeContainer n : nodes) {
                highest.put(n.node(), TestClusters.highestKeyInRange(target.ctx, n, n.index()));
            }
            for (NodeContainer n : nodes) {
                long id = TestClusters.insertAsWriter(target.ctx, n, "after restore on " + n.node());
                assertThat(id).as(n.node() + "'s new key").isGreaterThan(highest.get(n.node()))
                        .isBetween(n.index() * RANGE + 1, (n.index() + 1) * RANGE);
                TestClusters.awaitRowOn(target.ctx, nodes, id, "after restore on " + n.node(), Duration.ofSeconds(60));
            }
            ClusterCheck.Result check = new ClusterCheck(target.ctx).run(TIMEOUT);
            assertThat(check.identical()).as(TestClusters.evidence(target.ctx, check)).isTrue();

            assertThatThrownBy(() -> new ClusterRestore(target.ctx).run(file, 3, TestClusters::ensureImage, TIMEOUT))
                    .isInstanceOf(BackupException.class).hasMessageContaining("cluster pgmesh-itrs already exists");
        }
    }

    /** id -> "col2|modified_ts|modified_by" of every row. */
    private static Map<Long, String> versions(ClusterContext ctx, NodeContainer node) throws SQLException {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = TestClusters.connectAsReader(ctx, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, col2 || '|' || modified_ts::text || '|' || modified_by FROM"
                     + " table1")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }
}
