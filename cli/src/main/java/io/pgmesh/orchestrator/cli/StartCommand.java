package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.NodeRestart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start every stopped node (same data, address and host ports) and wait until every"
                + " subscription streams and what each node missed is applied. Harmless when all run.",
        footer = {"", "Example:", "  pgmesh start"})
final class StartCommand extends ClusterCommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the mesh to be healthy and caught up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be at least 1 second");
        }
        new NodeRestart(context()).startAll(Duration.ofSeconds(timeoutSeconds));
        return ExitCodes.OK;
    }
}
