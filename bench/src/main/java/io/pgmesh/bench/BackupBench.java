package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.backup.ClusterBackup;
import io.pgmesh.orchestrator.backup.ClusterRestore;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.SuiteTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Section 8: {@code pgmesh backup} and {@code pgmesh restore} next to plain {@code pg_dump} and {@code pg_restore} of
 * the same table with the same options (custom format, data only; the restore in one transaction, triggers off), run
 * in node0's container in the same run. A 3-node cluster with the rows inserted on node0 and replicated everywhere.
 */
final class BackupBench {

    static final String HEADING = "## 8. ";
    static final double TARGET_RATIO = 1.3;
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final String SOCKET = "/var/run/postgresql";
    private static final String PLAIN_FILE = "/var/lib/postgresql/bench-plain.pgdump";
    private static final String SCRATCH_DB = "bench_plain_restore";

    /**
     * One measurement (seconds).
     *
     * @param plainDump     pg_dump in node0's container
     * @param backup        pgmesh backup: drain, dump on node0, fetch over RPC into the zip file
     * @param backupDump    its dump on the node alone (pg_dump and the checksums in the same snapshot)
     * @param plainRestore  pg_restore of the plain dump into an empty copy of the table in node0's container
     * @param restore1      pgmesh restore into a new 1-node cluster: creating the node, sending, loading, checking
     * @param restoreLoad   its load alone: sending the dump, pg_restore, the checksums
     * @param restore3      pgmesh restore into a new 3-node cluster (two add-node copies of every row)
     */
    record Run(long rows, int nodes, double plainDump, long plainBytes, double backup, double backupDump,
               long fileBytes, double plainRestore, double restore1, double restoreLoad, double restore3,
               boolean verified, Load load) {
    }

    private final Bench bench;
    private final BenchClusters clusters;
    private final DockerClient docker;
    private final Path workDir;
    private final Consumer<String> out;

    BackupBench(Bench bench, BenchClusters clusters, DockerClient docker, Path workDir, Consumer<String> out) {
        this.bench = bench;
        this.clusters = clusters;
        this.docker = docker;
        this.workDir = workDir;
        this.out = out;
    }

    Run run(long rows, int sourceOctet, int targetOctet, String sourceName, String targetName) {
        int nodes = 3;
        ClusterContext source = clusters.context(sourceName, sourceOctet);
        ClusterContext target = clusters.context(targetName, targetOctet);
        clusters.down(source);
        clusters.down(target);
        Path file = workDir.resolve("bench-backup.pgmesh");
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(file);
            clusters.up(source, nodes);
            String database = source.config().database();
            SuiteTable t = bench.suiteTable();
            bench.insertRows(clusters.pgPorts(source).get(0), database, clusters.writer(source), rows);
            new ReplicationDrain(source).await(TIMEOUT);
            NodeContainer node0 = source.runtime().list(source.cluster()).get(0);
            Load load = Load.now();
            out.accept(String.format(Locale.ROOT, "[bench] backup: %d nodes, %,d rows (load %s)", nodes, rows,
                    load.oneMinute()));

            long s = System.nanoTime();
            exec(node0, "pg_dump", "--host=" + SOCKET, "--username=postgres", "--dbname=" + database, "--format=custom",
                    "--data-only", "--table=public." + t.table(), "--file=" + PLAIN_FILE);
            double plainDump = seconds(s);
            long plainBytes = Long.parseLong(exec(node0, "stat", "-c", "%s", PLAIN_FILE).strip());

            s = System.nanoTime();
            ClusterBackup.Result backup = new ClusterBackup(source).run(file, TIMEOUT, TIMEOUT);
            double backupSeconds = seconds(s);

            exec(node0, "bash", "-c", "dropdb --if-exists -h " + SOCKET + " " + SCRATCH_DB + " && createdb -h " + SOCKET
                    + " " + SCRATCH_DB + " && pg_dump -h " + SOCKET + " --schema-only --table=public." + t.table()
                    + " " + database + " | psql -q -h " + SOCKET + " -d " + SCRATCH_DB + " >/dev/null 2>&1; true");
            s = System.nanoTime();
            exec(node0, "pg_restore", "--host=" + SOCKET, "--username=postgres", "--dbname=" + SCRATCH_DB,
                    "--data-only", "--disable-triggers", "--single-transaction", "--exit-on-error",
                    "--table=" + t.table(), PLAIN_FILE);
            double plainRestore = seconds(s);
            exec(node0, "bash", "-c", "dropdb -h " + SOCKET + " " + SCRATCH_DB + "; rm -f " + PLAIN_FILE);
            clusters.down(source); // the restores run without the source's containers beside them

            s = System.nanoTime();
            ClusterRestore.Result one = new ClusterRestore(target).run(file, 1, clusters::image, TIMEOUT);
            double restore1 = seconds(s);
            clusters.down(target);
            s = System.nanoTime();
            ClusterRestore.Result three = new ClusterRestore(target).run(file, nodes, clusters::image, TIMEOUT);
            double restore3 = seconds(s);
            boolean verified = one.verified().size() == 1 && three.verified().size() == nodes;
            Run run = new Run(rows, nodes, plainDump, plainBytes, backupSeconds, backup.dumped().toMillis() / 1e3,
                    backup.fileBytes(), plainRestore, restore1, one.loaded().toMillis() / 1e3, restore3, verified,
                    load);
            out.accept(String.format(Locale.ROOT, "[bench] backup of %,d rows: pg_dump %.2f s (%,d bytes), pgmesh"
                            + " backup %.2f s (dump %.2f s, file %,d bytes); pg_restore %.2f s, pgmesh restore 1 node"
                            + " %.2f s (load %.2f s), 3 nodes %.2f s; checksums verified %s", rows, plainDump,
                    plainBytes, backupSeconds, run.backupDump(), run.fileBytes(), plainRestore, restore1,
                    run.restoreLoad(), restore3, verified));
            return run;
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("backup measurement failed: " + e.getMessage(), e);
        } finally {
            clusters.down(source);
            clusters.down(target);
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                out.accept("[bench] could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    private String exec(NodeContainer node, String... command) {
        return DockerExec.run(docker, node.containerId(), (int) TIMEOUT.toSeconds(), command);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Section 8 of docs/BENCHMARKS.md. */
    static String section(List<Run> runs, String measuredOn) {
        StringBuilder md = new StringBuilder(HEADING).append("backup and restore next to pg_dump and pg_restore\n\n");
        md.append(measuredOn).append("\n\n");
        if (runs.isEmpty()) {
            return md.append("Not measured in this run.\n\n").toString();
        }
        md.append("A 3-node cluster; the rows inserted on node0 and replicated everywhere first. The plain tools run in"
                + " node0's container with the options pgmesh uses: `pg_dump --format=custom --data-only --table=...`,"
                + " and `pg_restore --data-only --disable-triggers --single-transaction` into an empty copy of the"
                + " table in a scratch database. `pgmesh backup` is timed end to end as the CLI runs it (drain, the"
                + " dump and its checksums in one snapshot on node0, the file fetched over JSON-RPC into a zip);"
                + " `pgmesh restore` end to end into a new cluster (creating node0, sending the dump, pg_restore, the"
                + " checksums on every node), once with 1 node and once with 3 (two add-node copies of every row)."
                + " Target: within " + x(TARGET_RATIO) + " of the plain tool.\n\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "### %,d rows, %d nodes (load %s before)%n%n", r.rows(), r.nodes(),
                    r.load().oneMinute()));
            md.append("| operation | pgmesh | plain tool | ratio | target | met |\n|---|---|---|---|---|---|\n");
            row(md, "backup, end to end (file " + mib(r.fileBytes()) + ") vs pg_dump (" + mib(r.plainBytes()) + ")",
                    r.backup(), r.plainDump(), true);
            row(md, "backup's dump on node0 alone (pg_dump and checksums, one snapshot) vs pg_dump", r.backupDump(),
                    r.plainDump(), false);
            row(md, "restore into 1 node, end to end (creating the node included) vs pg_restore", r.restore1(),
                    r.plainRestore(), true);
            row(md, "restore's load on node0 alone (send, pg_restore, checksums) vs pg_restore", r.restoreLoad(),
                    r.plainRestore(), false);
            md.append(String.format(Locale.ROOT, "| restore into %d nodes, end to end | %.2f s | - | - | - | - |%n",
                    r.nodes(), r.restore3()));
            md.append(String.format(Locale.ROOT, "%nEvery restored node's checksums equal the backup's: %s.%n%n",
                    r.verified() ? "yes" : "**no**"));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String what, double pgmesh, double plain, boolean target) {
        double ratio = pgmesh / plain;
        md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %s | %s | %s |%n", what, pgmesh, plain, x(ratio),
                target ? "<= " + x(TARGET_RATIO) : "-", target ? (ratio <= TARGET_RATIO ? "yes" : "**no**") : "-"));
    }

    private static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
