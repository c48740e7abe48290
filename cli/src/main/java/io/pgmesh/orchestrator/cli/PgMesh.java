package io.pgmesh.orchestrator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** Entry point of the {@code pgmesh} command. */
@Command(name = "pgmesh", mixinStandardHelpOptions = true, version = "pgmesh " + io.pgmesh.protocol.PgMeshVersion.VERSION,
        description = "Run a multi-master PostgreSQL logical-replication mesh in Docker containers.",
        subcommands = {UpCommand.class, StatusCommand.class, AddNodeCommand.class, RemoveNodeCommand.class,
                StartNodeCommand.class, StopNodeCommand.class, StopCommand.class, StartCommand.class,
                RestartCommand.class, UpgradeCommand.class, ResyncCommand.class, BackupCommand.class,
                RestoreCommand.class, RotateCertsCommand.class, RotatePasswordsCommand.class,
                CredentialsCommand.class,
                TestCommand.class, CheckCommand.class, RepairCommand.class, ConflictsCommand.class, LogsCommand.class,
                LabCommand.class,
                DownCommand.class, CompletionCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage, 3 Docker engine unreachable,",
                "            4 invalid config (also a subnet overlapping a Docker network),",
                "            5 node image missing or not buildable,",
                "            6 container/network name taken (also: restore into a cluster that exists),",
                "            7 nodes diverge (check), 8 not a usable backup file (restore)",
                "", "Shell completion: source <(pgmesh completion)"})
public final class PgMesh {

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, for main and for tests. */
    public static CommandLine newCommandLine() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        return new CommandLine(new PgMesh())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setExitCodeExceptionMapper(ErrorHandler::exitCode);
    }
}
