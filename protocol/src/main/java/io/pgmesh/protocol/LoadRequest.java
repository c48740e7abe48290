package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node to load a job file received by {@link NodeRpc#writeJobChunk} into its tables (PostgreSQL's pg_restore,
 * data only, in one transaction, without firing triggers, so every row keeps its version stamps). The tables must be
 * empty; a table that already holds exactly the expected content counts as loaded.
 *
 * @param job      the job whose file is loaded
 * @param database database of the tables
 * @param bytes    the file's expected size
 * @param sha256   the file's expected SHA-256 (hex)
 * @param expected what each table must hold afterwards; the load fails when a table holds anything else
 */
public record LoadRequest(String job, String database, long bytes, String sha256, List<TableChecksum> expected) {
    public LoadRequest {
        expected = expected == null ? List.of() : List.copyOf(expected);
    }
}
