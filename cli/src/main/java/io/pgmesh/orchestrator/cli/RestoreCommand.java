package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.backup.ClusterRestore;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.config.SysConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Create a NEW cluster from a backup FILE ('pgmesh backup'): node0 loads the dump with"
                + " pg_restore (every row keeps its version stamps), the cluster grows to its size by add-node, and"
                + " every node's tables are checked against the backup's checksums. Refuses a cluster that exists"
                + " and a file that is not a whole pgmesh backup of the configured tables; when a restore fails"
                + " halfway, the half-created cluster is removed.",
        footer = {"", "Example:", "  pgmesh restore --cluster restored /var/backups/pgmesh-2026-11-27.pgmesh"})
final class RestoreCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file to restore.")
    Path file;

    @Option(names = "--nodes", paramLabel = "N",
            description = "Nodes of the new cluster (default: scale.min_nodes of the config).")
    Integer nodes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h", converter = DurationConverter.class,
            description = "How long the load may take on node0 (default: ${DEFAULT-VALUE}).")
    Duration loadTimeout;

    private int count;
    private Progress progress;

    @Override
    java.util.function.Consumer<String> stepLog(java.util.function.Consumer<String> plain) {
        progress = new Progress("restore", count + 2, Progress::restoreStep, System::nanoTime, plain);
        return progress;
    }

    @Override
    public Integer call() {
        SysConfig config = loadConfig();
        count = nodes != null ? nodes : config.minNodes();
        ClusterContext ctx = context(config);
        new ClusterRestore(ctx).run(file, count, nodeImage(ctx)::ensureBuilt, loadTimeout);
        progress.done();
        return ExitCodes.OK;
    }
}
