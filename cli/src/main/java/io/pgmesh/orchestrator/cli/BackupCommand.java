package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.backup.ClusterBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent backup of the replicated tables to FILE: after replication has drained,"
                + " one node dumps them with pg_dump in one snapshot; FILE is a zip archive holding that pg_dump"
                + " archive and a manifest (cluster, tables, rows and a checksum per table, pgmesh and PostgreSQL"
                + " versions). Clients may keep writing. FILE must not exist; 'pgmesh restore FILE' restores it.",
        footer = {"", "Example:", "  pgmesh backup /var/backups/pgmesh-2026-11-27.pgmesh"})
final class BackupCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file to write (must not exist).")
    Path file;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long replication may take to drain before the dump (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h", converter = DurationConverter.class,
            description = "How long the dump may take on the node (default: ${DEFAULT-VALUE}).")
    Duration dumpTimeout;

    @Override
    public Integer call() {
        new ClusterBackup(context()).run(file, drainTimeout, dumpTimeout);
        return ExitCodes.OK;
    }
}
