package io.pgmesh.orchestrator.backup;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.DumpRequest;
import io.pgmesh.protocol.PgMeshVersion;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TransferJob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code pgmesh backup FILE}: after a drain (so the node dumped holds every change any node had committed when the
 * backup began), one node dumps the replicated tables with pg_dump in one snapshot, in which it also reads each
 * table's row count and checksum; the dump comes over the node's RPC connection into FILE, with a manifest. Clients
 * may keep writing: the backup holds the rows as of its snapshot.
 */
public final class ClusterBackup {

    /**
     * What a finished backup holds, and where its time went.
     *
     * @param dumped the dump on the node (pg_dump and the checksums)
     * @param took   all of it: drain, dump, fetch into FILE
     */
    public record Result(Path file, BackupManifest manifest, long fileBytes, Duration dumped, Duration took) {
    }

    private final ClusterContext ctx;

    public ClusterBackup(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(Path file, Duration drainTimeout, Duration dumpTimeout) {
        long start = System.nanoTime();
        if (Files.exists(file)) {
            throw new UsageException("FILE", file + " exists; pgmesh backup does not overwrite a file (choose another"
                    + " name, or delete it first)");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new UsageException("FILE", "cannot write " + file + ": directory " + dir + " does not exist or is"
                    + " not writable");
        }
        NodeContainer source = source();
        ctx.log().accept("[backup] waiting until every node's changes have reached every other node (deadline "
                + drainTimeout.toSeconds() + " s)");
        new ReplicationDrain(ctx).await(drainTimeout);
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        String job = "backup-" + System.currentTimeMillis();
        String createdAt = Instant.now().toString();
        try (NodeSession session = ctx.rpc(source)) {
            JobTransfers transfers = new JobTransfers(session, ctx.log());
            int protocol = session.api().status().protocolVersion();
            if (protocol < 1) {
                throw new IllegalStateException("[" + source.node() + "] runs a node daemon older than this pgmesh"
                        + " (protocol " + protocol + ", backup needs 1): run 'pgmesh upgrade' first");
            }
            ctx.log(source.node(), "dumping " + String.join(", ", tables) + " with pg_dump (one snapshot), job " + job);
            long dumpStart = System.nanoTime();
            session.api().startDump(new DumpRequest(job, ctx.config().database(), tables));
            try {
                TransferJob dumped = transfers.awaitDone(job, "dump", dumpTimeout);
                Duration dumpTook = Duration.ofNanos(System.nanoTime() - dumpStart);
                ctx.log(source.node(), String.format(Locale.ROOT, "dumped %s: %s", describe(dumped.tables()),
                        JobTransfers.mib(dumped.bytes())));
                BackupManifest manifest = manifest(source, createdAt, dumped);
                ctx.log().accept("[backup] writing " + file);
                BackupArchive.write(file, manifest, out -> transfers.download(dumped, out));
                long size = Files.size(file);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                ctx.log().accept(String.format(Locale.ROOT, "[backup] wrote %s: %,d rows (%s), %s, in %.1f s", file,
                        manifest.rows(), describe(dumped.tables()), JobTransfers.mib(size), took.toMillis() / 1e3));
                return new Result(file, manifest, size, dumpTook, took);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
            } finally {
                transfers.removeQuietly(job);
            }
        }
    }

    /** The first running node: any node holds every row once replication has drained. */
    private NodeContainer source() {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        if (nodes.isEmpty()) {
            throw new UsageException("--cluster", "cluster " + ctx.cluster() + " has no nodes ('pgmesh up' creates it)");
        }
        List<String> down = nodes.stream().filter(n -> !n.running()).map(NodeContainer::node).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot back up cluster " + ctx.cluster() + " while " + String.join(", ",
                    down) + (down.size() == 1 ? " is" : " are") + " down: its changes may not have reached the others;"
                    + " start it first ('pgmesh start-node')");
        }
        return nodes.get(0);
    }

    private BackupManifest manifest(NodeContainer source, String createdAt, TransferJob dumped) {
        List<BackupManifest.Table> tables = new ArrayList<>();
        for (TableSpec spec : ctx.config().tables()) {
            TableChecksum sum = dumped.tables().stream().filter(t -> t.table().equals(spec.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("[" + source.node() + "] the dump lacks table "
                            + spec.name()));
            tables.add(new BackupManifest.Table(spec.name(), spec.columns(), sum.rows(), sum.checksum()));
        }
        return new BackupManifest(BackupManifest.FORMAT, BackupManifest.FORMAT_VERSION, ctx.cluster(), createdAt,
                PgMeshVersion.VERSION, dumped.serverVersion(), source.node(), ctx.config().database(), tables,
                new BackupManifest.Dump(BackupArchive.DUMP_ENTRY, dumped.bytes(), dumped.sha256()));
    }

    static String describe(List<TableChecksum> tables) {
        return String.join(", ", tables.stream().map(t -> String.format(Locale.ROOT, "%s %,d rows", t.table(),
                t.rows())).toList());
    }
}
