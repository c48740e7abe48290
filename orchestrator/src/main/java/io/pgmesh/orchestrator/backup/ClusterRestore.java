package io.pgmesh.orchestrator.backup;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.ChecksumRequest;
import io.pgmesh.protocol.KeyRangeRequest;
import io.pgmesh.protocol.LoadRequest;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TableChecksums;
import io.pgmesh.protocol.TransferJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code pgmesh restore FILE}: a NEW cluster from a backup. The file is checked first (a pgmesh backup, whole, of the
 * configured tables) and the cluster must not exist; then node0 is created, receives the dump over its RPC
 * connection and loads it with pg_restore (one transaction, triggers off: every row keeps its version stamps), its
 * key sequences continue after the restored keys of its range, and the cluster grows to its size by add-node's live
 * join, node1, node2, ... at their own indexes (each copies every row and continues its key range after the rows of
 * that range: the restored rows fill the key ranges of the nodes backed up, so the new nodes take those indexes, as
 * before the backup, rather than add-node's next free range). Last, every node's tables are
 * compared with the manifest's row counts and checksums. When anything fails after node0 was created, the
 * half-created cluster is removed with its data: a rerun starts from scratch.
 */
public final class ClusterRestore {

    /**
     * What a finished restore verified on each node, and where its time went.
     *
     * @param loaded node0's part: receiving the dump, pg_restore, its checksums
     * @param took   all of it, from reading FILE to the last node's checksums
     */
    public record Result(String cluster, BackupManifest manifest, List<TableChecksums> verified, Duration loaded,
                         Duration took) {
    }

    private final ClusterContext ctx;

    public ClusterRestore(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(Path file, int nodes, ClusterUp.NodeImageSource images, Duration loadTimeout) {
        long start = System.nanoTime();
        try (BackupArchive archive = BackupArchive.open(file)) {
            BackupManifest manifest = archive.manifest();
            List<String> differences = manifest.differencesFrom(ctx.config().tables());
            if (!differences.isEmpty()) {
                throw new BackupException(BackupException.Kind.OTHER_TABLES, file + " cannot be restored with this"
                        + " config: " + String.join("; ", differences));
            }
            if (!manifest.database().equals(ctx.config().database())) {
                ctx.log().accept("[restore] the backup is of database " + manifest.database() + "; restoring into"
                        + " the configured database " + ctx.config().database());
            }
            requireNewCluster();
            if (nodes < 1 || nodes > ctx.config().maxNodes()) {
                throw new UsageException("--nodes", nodes + " is out of range 1.." + ctx.config().maxNodes()
                        + " (system.networks[].config.scale.max_nodes)");
            }
            ctx.log().accept(String.format(Locale.ROOT, "[restore] %s: backup of cluster %s from %s (%s), %,d rows"
                            + " (%s), PostgreSQL %s, pgmesh %s", file, manifest.cluster(), manifest.sourceNode(),
                    manifest.createdAt(), manifest.rows(), ClusterBackup.describe(manifest.contents()),
                    manifest.postgresVersion(), manifest.pgmeshVersion()));
            try {
                Restored restored = restore(archive, nodes, images, loadTimeout);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                ctx.log().accept(String.format(Locale.ROOT, "[restore] cluster %s restored from %s: %d nodes, every"
                                + " node's tables match the backup's checksums, in %.1f s", ctx.cluster(), file, nodes,
                        took.toMillis() / 1e3));
                return new Result(ctx.cluster(), manifest, restored.verified(), restored.loaded(), took);
            } catch (RuntimeException e) {
                ctx.log().accept("[restore] failed: " + e.getMessage());
                ctx.log().accept("[restore] removing the half-created cluster " + ctx.cluster() + " and its data");
                try {
                    new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    /** Every node's checksums, and how long node0's load took. */
    private record Restored(List<TableChecksums> verified, Duration loaded) {
    }

    private Restored restore(BackupArchive archive, int nodes, ClusterUp.NodeImageSource images,
                             Duration loadTimeout) {
        BackupManifest manifest = archive.manifest();
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        new ClusterUp(ctx, images).run(1);
        NodeContainer first = ctx.runtime().list(ctx.cluster()).get(0);
        String job = "restore-" + System.currentTimeMillis();
        long loadStart = System.nanoTime();
        TableChecksums node0;
        Duration loaded;
        try (NodeSession session = ctx.rpc(first)) {
            JobTransfers transfers = new JobTransfers(session, ctx.log());
            ctx.log(first.node(), String.format(Locale.ROOT, "receiving the dump (%s)",
                    JobTransfers.mib(manifest.dump().bytes())));
            try (InputStream in = archive.openDump()) {
                transfers.upload(job, in, manifest.dump().bytes());
                in.transferTo(java.io.OutputStream.nullOutputStream()); // the end of the entry checks its SHA-256
            } catch (IOException e) {
                transfers.removeQuietly(job);
                if (e.getCause() instanceof BackupException b) {
                    throw b;
                }
                throw new UncheckedIOException("could not read " + archive.file() + ": " + e.getMessage(), e);
            }
            ctx.log(first.node(), "loading " + String.join(", ", tables) + " with pg_restore (one transaction)");
            try {
                session.api().startLoad(new LoadRequest(job, ctx.config().database(), manifest.dump().bytes(),
                        manifest.dump().sha256(), manifest.contents()));
                TransferJob load = transfers.awaitDone(job, "load", loadTimeout);
                loaded = Duration.ofNanos(System.nanoTime() - loadStart);
                ctx.log(first.node(), String.format(Locale.ROOT, "loaded %s in %.1f s: checksums match",
                        ClusterBackup.describe(load.tables()), loaded.toMillis() / 1e3));
                node0 = new TableChecksums(first.node(), load.tables());
            } finally {
                transfers.removeQuietly(job);
            }
            ctx.logStep(first.node(), "continuing its key sequences after the restored keys of its range",
                    session.api().continueKeyRange(new KeyRangeRequest(ctx.config().database(), tables)));
        }
        for (int index = 1; index < nodes; index++) {
            ctx.log().accept("[restore] adding node " + (index + 1) + " of " + nodes + " (a copy of every row)");
            new NodeJoin(ctx).joinAt(index, images);
        }
        return new Restored(verify(manifest.contents(), tables, node0), loaded);
    }

    /**
     * Every node's tables against the manifest; a difference fails the restore. Node0's are those its load read
     * after pg_restore (nothing writes to the new cluster meanwhile, and the joins only read it).
     */
    private List<TableChecksums> verify(List<TableChecksum> expected, List<String> tables, TableChecksums node0) {
        List<TableChecksums> all = new java.util.ArrayList<>();
        for (NodeContainer node : ctx.runtime().list(ctx.cluster())) {
            TableChecksums actual;
            if (node.node().equals(node0.node())) {
                actual = node0;
            } else {
                try (NodeSession session = ctx.rpc(node)) {
                    actual = session.api().tableChecksums(new ChecksumRequest(ctx.config().database(), tables));
                }
            }
            for (TableChecksum want : expected) {
                TableChecksum have = actual.tables().stream().filter(t -> t.table().equals(want.table())).findFirst()
                        .orElse(null);
                if (!want.matches(have)) {
                    throw new IllegalStateException("[" + node.node() + "] after the restore table " + want.table()
                            + " holds " + (have == null ? "nothing" : have.rows() + " rows, checksum " + have.checksum())
                            + "; the backup says " + want.rows() + " rows, checksum " + want.checksum());
                }
            }
            ctx.log(node.node(), "checksums match the backup: " + ClusterBackup.describe(actual.tables()));
            all.add(actual);
        }
        return all;
    }

    private void requireNewCluster() {
        List<NodeContainer> containers = ctx.runtime().list(ctx.cluster());
        long volumes = ctx.runtime().volumes(ctx.cluster()).size();
        if (!containers.isEmpty() || volumes > 0) {
            throw new BackupException(BackupException.Kind.CLUSTER_EXISTS, "cluster " + ctx.cluster() + " already"
                    + " exists (" + containers.size() + " container(s), " + volumes + " data volume(s)); restore"
                    + " creates a new cluster: choose another --cluster, or remove this one first ('pgmesh down"
                    + " --delete-data --cluster " + ctx.cluster() + "')");
        }
    }
}
