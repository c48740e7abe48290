package io.pgmesh.orchestrator.backup;

import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TransferJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** backup and restore on fake nodes: the file, the new cluster, and every refusal before anything is created. */
class BackupRestoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path backupOf3Nodes(FakeCluster source, Path file, int padding) {
        new ClusterUp(source.ctx(), () -> "image").run(3);
        for (String t : MeshSpecs.tableNames(source.config)) {
            source.runtime.content.put(t, new TableChecksum(t, 1234, "-98765432101"));
        }
        source.runtime.node("node0").dumpPadding = padding;
        new ClusterBackup(source.ctx()).run(file, TIMEOUT, TIMEOUT);
        return file;
    }

    @Test
    void aBackupRestoresIntoANewClusterWithEqualChecksumsOnEveryNode() throws Exception {
        FakeCluster source = new FakeCluster(dir.resolve("a"));
        // more than two chunks, so the transfer is chunked both ways
        Path file = backupOf3Nodes(source, dir.resolve("b.pgmesh"), TransferJob.MAX_CHUNK_BYTES * 2 + 17);

        assertThat(file).exists();
        assertThat(dir.resolve("b.pgmesh.partial")).doesNotExist();
        assertThat(source.runtime.node("node0").jobFiles()).as("the job file is removed from the node").isEmpty();
        try (BackupArchive archive = BackupArchive.open(file)) {
            BackupManifest m = archive.manifest();
            assertThat(m.cluster()).isEqualTo(FakeCluster.NAME);
            assertThat(m.sourceNode()).isEqualTo("node0");
            assertThat(m.tables()).extracting(BackupManifest.Table::name).containsExactly("table1", "table2");
            assertThat(m.rows()).isEqualTo(2468);
            assertThat(m.dump().bytes()).isGreaterThan(TransferJob.MAX_CHUNK_BYTES * 2L);
            assertThat(m.tables().get(0).columns()).isEqualTo(source.config.tables().get(0).columns());
        }
        assertThat(source.log).anyMatch(l -> l.startsWith("[backup] wrote " + file + ": 2,468 rows"));

        FakeCluster target = new FakeCluster(dir.resolve("c"));
        ClusterRestore.Result r = new ClusterRestore(target.ctx()).run(file, 3, () -> "image", TIMEOUT);

        assertThat(target.runtime.list(FakeCluster.NAME)).extracting(NodeContainer::node)
                .containsExactly("node0", "node1", "node2");
        assertThat(r.verified()).hasSize(3).allSatisfy(v -> assertThat(v.tables()).extracting(TableChecksum::rows)
                .containsExactly(1234L, 1234L));
        assertThat(target.runtime.content).isEqualTo(source.runtime.content);
        assertThat(target.runtime.node("node0").jobFiles()).isEmpty();
        assertThat(target.log).anyMatch(l -> l.startsWith("[node0] continuing its key sequences"))
                .anyMatch(l -> l.startsWith("[node2] checksums match the backup"));
    }

    @Test
    void backupRefusesToOverwriteAFileAndLeavesNoPartialFileWhenItFails() throws Exception {
        FakeCluster source = new FakeCluster(dir.resolve("a"));
        Path existing = Files.writeString(dir.resolve("x.pgmesh"), "keep me");
        assertThatThrownBy(() -> backupOf3Nodes(source, existing, 0)).isInstanceOf(UsageException.class)
                .hasMessageContaining(existing + " exists");
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        source.runtime.node("node0").failOn("readJobChunk");
        Path file = dir.resolve("y.pgmesh");
        assertThatThrownBy(() -> new ClusterBackup(source.ctx()).run(file, TIMEOUT, TIMEOUT))
                .hasMessageContaining("readJobChunk failed");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("y.pgmesh.partial")).doesNotExist();
        assertThat(source.runtime.node("node0").jobFiles()).isEmpty();
    }

    @Test
    void restoreRefusesAnExistingClusterOrABadFileBeforeCreatingAnything() throws Exception {
        FakeCluster source = new FakeCluster(dir.resolve("a"));
        Path file = backupOf3Nodes(source, dir.resolve("b.pgmesh"), 100);

        assertThatThrownBy(() -> new ClusterRestore(source.ctx()).run(file, 3, () -> "image", TIMEOUT))
                .isInstanceOf(BackupException.class).hasMessageContaining("cluster fake already exists (3 container(s)")
                .extracting(e -> ((BackupException) e).kind()).isEqualTo(BackupException.Kind.CLUSTER_EXISTS);

        byte[] whole = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("t.pgmesh"), Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a backup\n");
        Path foreign = dir.resolve("foreign.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        FakeCluster target = new FakeCluster(dir.resolve("c"));
        assertRefused(target, truncated, BackupException.Kind.NOT_A_BACKUP, "not a zip archive, or truncated");
        assertRefused(target, text, BackupException.Kind.NOT_A_BACKUP, "not a zip archive, or truncated");
        assertRefused(target, foreign, BackupException.Kind.NOT_A_BACKUP, "a zip archive without manifest.json");
        assertThatThrownBy(() -> new ClusterRestore(target.ctx()).run(dir.resolve("missing"), 3, () -> "image",
                TIMEOUT)).isInstanceOf(UsageException.class).hasMessageContaining("does not exist");

        BackupManifest m;
        try (BackupArchive a = BackupArchive.open(file)) {
            m = a.manifest();
        }
        List<BackupManifest.Table> renamed = new ArrayList<>(m.tables());
        renamed.set(1, new BackupManifest.Table("orders", m.tables().get(1).columns(), 5, "7"));
        Path otherTables = rewritten(m, renamed, m.dump(), "x".getBytes(StandardCharsets.UTF_8), "o.pgmesh");
        assertRefused(target, otherTables, BackupException.Kind.OTHER_TABLES,
                "the backup holds table(s) [table1, orders], the config has [table1, table2]");
        BackupManifest newer = new BackupManifest(m.format(), 9, m.cluster(), m.createdAt(), m.pgmeshVersion(),
                m.postgresVersion(), m.sourceNode(), m.database(), m.tables(), m.dump());
        Path fromTheFuture = dir.resolve("n.pgmesh");
        BackupArchive.write(fromTheFuture, newer, out -> out.write(new byte[(int) m.dump().bytes()]));
        assertRefused(target, fromTheFuture, BackupException.Kind.NOT_A_BACKUP, "manifest.formatVersion: 9");
        assertThat(target.runtime.list(FakeCluster.NAME)).isEmpty();
        assertThat(target.runtime.volumes(FakeCluster.NAME)).isEmpty();
    }

    @Test
    void aDumpDamagedInTheFileIsFoundAndTheHalfCreatedClusterRemoved() throws Exception {
        FakeCluster source = new FakeCluster(dir.resolve("a"));
        Path file = backupOf3Nodes(source, dir.resolve("b.pgmesh"), 100);
        BackupManifest m;
        try (BackupArchive a = BackupArchive.open(file)) {
            m = a.manifest();
        }
        byte[] damaged = new byte[(int) m.dump().bytes()]; // right size, wrong bytes
        Path bad = rewritten(m, m.tables(), m.dump(), damaged, "d.pgmesh");

        FakeCluster target = new FakeCluster(dir.resolve("c"));
        assertThatThrownBy(() -> new ClusterRestore(target.ctx()).run(bad, 3, () -> "image", TIMEOUT))
                .isInstanceOf(BackupException.class).hasMessageContaining("damaged: entry data.pgdump has SHA-256");
        assertThat(target.runtime.list(FakeCluster.NAME)).as("the half-created cluster is removed").isEmpty();
        assertThat(target.runtime.volumes(FakeCluster.NAME)).isEmpty();
        assertThat(target.log).anyMatch(l -> l.startsWith("[restore] removing the half-created cluster fake"));
    }

    private Path rewritten(BackupManifest m, List<BackupManifest.Table> tables, BackupManifest.Dump dump, byte[] data,
                           String name) throws Exception {
        BackupManifest changed = new BackupManifest(m.format(), m.formatVersion(), m.cluster(), m.createdAt(),
                m.pgmeshVersion(), m.postgresVersion(), m.sourceNode(), m.database(), tables,
                new BackupManifest.Dump(dump.entry(), data.length, dump.sha256()));
        Path file = dir.resolve(name);
        BackupArchive.write(file, changed, (OutputStream out) -> out.write(data));
        return file;
    }

    private void assertRefused(FakeCluster target, Path file, BackupException.Kind kind, String message) {
        assertThatThrownBy(() -> new ClusterRestore(target.ctx()).run(file, 3, () -> "image", TIMEOUT))
                .isInstanceOf(BackupException.class).hasMessageContaining(message)
                .extracting(e -> ((BackupException) e).kind()).isEqualTo(kind);
        assertThat(target.runtime.list(FakeCluster.NAME)).isEmpty();
    }
}
