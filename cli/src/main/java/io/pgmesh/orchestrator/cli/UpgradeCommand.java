package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.RollingRestart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Move every node to the current node image (built from this pgmesh when needed), one node at"
                + " a time: drain, stop, new container on the same data, address and host ports, wait until it has"
                + " caught up; then the next. Nodes already on it are left alone. Clients keep writing. Run it again"
                + " to finish an interrupted upgrade.",
        footer = {"", "Example:", "  pgmesh upgrade"})
final class UpgradeCommand extends ClusterCommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long each node may take to drain and to catch up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be at least 1 second");
        }
        ClusterContext ctx = context();
        String image = nodeImage(ctx).ensureBuilt();
        new RollingRestart(ctx).upgrade(image, Duration.ofSeconds(timeoutSeconds));
        return ExitCodes.OK;
    }
}
