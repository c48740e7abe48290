package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.config.SysConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Create the cluster (or complete an interrupted 'up'): start the nodes one at a time and"
                + " wire each into the replication mesh. After 'down', brings every node back on its kept data.",
        footer = {"", "Example:", "  pgmesh up --nodes 3"})
final class UpCommand extends ClusterCommand {

    @Option(names = "--nodes", paramLabel = "N",
            description = "Number of nodes (default: the nodes with kept data, else scale.min_nodes of the config;"
                    + " at most scale.max_nodes).")
    Integer nodes;

    private int count;
    private Progress progress;

    @Override
    java.util.function.Consumer<String> stepLog(java.util.function.Consumer<String> plain) {
        progress = Progress.up(count, plain);
        return progress;
    }

    @Override
    public Integer call() throws Exception {
        SysConfig config = loadConfig();
        count = nodes != null ? nodes : keptOr(config, config.minNodes());
        if (count < 1 || count > config.maxNodes()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes: " + count
                    + " is out of range 1.." + config.maxNodes() + " (scale.max_nodes of " + global.config + ")");
        }
        ClusterContext ctx = context(config);
        ClusterUp.NodeImageSource image = nodeImage(ctx);
        new ClusterUp(ctx, image::ensureBuilt).run(count);
        progress.done();
        return ExitCodes.OK;
    }

    /** The number of nodes with kept data when the cluster has no containers ('down' kept them), else {@code fallback}. */
    private int keptOr(SysConfig config, int fallback) {
        try (com.github.dockerjava.api.DockerClient docker = io.pgmesh.orchestrator.docker.DockerEngine.connect()) {
            ClusterContext probe = new ClusterContext(global.cluster, config,
                    io.pgmesh.orchestrator.runtime.Runtimes.open(config, docker, line -> { }),
                    io.pgmesh.orchestrator.cluster.ClusterSecrets.home(), line -> { });
            int kept = ClusterUp.keptNodes(probe);
            return kept > 0 ? kept : fallback;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
