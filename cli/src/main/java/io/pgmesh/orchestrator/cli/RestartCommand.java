package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.RollingRestart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Replace each node's container with a new one on the same image, one node at a time: drain,"
                + " stop, new container on the same data, address and host ports, wait until it has caught up; then"
                + " the next. Clients keep writing. Run it again to finish an interrupted restart.",
        footer = {"", "Example:", "  pgmesh restart"})
final class RestartCommand extends ClusterCommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long each node may take to drain and to catch up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be at least 1 second");
        }
        new RollingRestart(context()).restart(Duration.ofSeconds(timeoutSeconds));
        return ExitCodes.OK;
    }
}
