package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterRepair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Anti-entropy: check the cluster (rows still in flight left out) and bring every row that"
                + " truly differs to the version the conflict rules pick, on every node, in batches (changes can"
                + " arrive out of order across origins; an update that arrives before its row is skipped by"
                + " PostgreSQL). Safe while clients write. Exits 7 if nodes still differ afterwards.",
        footer = {"", "Example:", "  pgmesh repair"})
final class RepairCommand extends ClusterCommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for replication to drain (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        ClusterRepair.Result result = new ClusterRepair(context()).run(Duration.ofSeconds(timeoutSeconds));
        result.after().tables().forEach(t -> out().println(CheckCommand.render(t)));
        out().flush();
        return result.after().identical() ? ExitCodes.OK : ExitCodes.DIVERGENCE;
    }
}
