package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterDown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove the cluster's containers and its network. Each node's data volume and the cluster's"
                + " stored passwords are KEPT (nodes stop cleanly first): 'pgmesh up' brings every node back on its"
                + " data. --delete-data deletes them too.",
        footer = {"", "Examples:", "  pgmesh down", "  pgmesh down --delete-data"})
final class DownCommand extends ClusterCommand {

    @Option(names = "--delete-data",
            description = "Also delete every node's data volume, the records of removed nodes and the stored"
                    + " passwords: the cluster's rows are gone for good.")
    boolean deleteData;

    @Override
    public Integer call() throws Exception {
        new ClusterDown(context()).run(deleteData ? ClusterDown.Data.DELETE : ClusterDown.Data.KEEP);
        return ExitCodes.OK;
    }
}
