package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterStop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop every node (PostgreSQL's fast shutdown) after replication has drained; containers,"
                + " data and host ports stay. 'pgmesh start' starts them again.",
        footer = {"", "Example:", "  pgmesh stop"})
final class StopCommand extends ClusterCommand {

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for replication to drain first (default: ${DEFAULT-VALUE}); nodes stop"
                    + " anyway after it, and what is not applied yet waits in the peers' slots.")
    int drainSeconds;

    @Override
    public Integer call() {
        if (drainSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--drain-timeout: must be >= 0");
        }
        new ClusterStop(context()).stopAll(Duration.ofSeconds(drainSeconds));
        return ExitCodes.OK;
    }
}
