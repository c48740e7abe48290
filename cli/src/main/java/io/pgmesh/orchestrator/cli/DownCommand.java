package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterDown;
import picocli.CommandLine.Command;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove the cluster's containers, its network and its stored passwords; nothing else.",
        footer = {"", "Example:", "  pgmesh down --cluster pgmesh"})
final class DownCommand extends ClusterCommand {

    @Override
    public Integer call() throws Exception {
        new ClusterDown(context()).run();
        return ExitCodes.OK;
    }
}
