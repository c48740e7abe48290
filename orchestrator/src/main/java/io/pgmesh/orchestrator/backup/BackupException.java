package io.pgmesh.orchestrator.backup;

import java.nio.file.Path;

/**
 * A backup file that cannot be read or restored here, or a restore that would overwrite a cluster. The message names
 * the file (or cluster) and the fix; the CLI maps {@link #kind()} to an exit code.
 */
public final class BackupException extends RuntimeException {

    public enum Kind {
        /** Not a pgmesh backup: not a zip archive, truncated, damaged, no or a foreign manifest. */
        NOT_A_BACKUP,
        /** A readable backup of tables other than the configured ones. */
        OTHER_TABLES,
        /** The cluster to restore into already exists (containers or kept data). */
        CLUSTER_EXISTS
    }

    private final Kind kind;

    public BackupException(Kind kind, String message) {
        this(kind, message, null);
    }

    public BackupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static BackupException notABackup(Path file, String why) {
        return new BackupException(Kind.NOT_A_BACKUP, file + " is not a usable pgmesh backup: " + why);
    }

    static BackupException notABackup(Path file, String why, Throwable cause) {
        return new BackupException(Kind.NOT_A_BACKUP, file + " is not a usable pgmesh backup: " + why, cause);
    }

    public Kind kind() {
        return kind;
    }
}
