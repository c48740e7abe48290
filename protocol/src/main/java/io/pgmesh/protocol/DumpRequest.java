package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node to dump tables into a job file (PostgreSQL's pg_dump, custom format, data only), from one snapshot in
 * which it also reads each table's {@link TableChecksum}.
 *
 * @param job      the job's name ({@link TransferJob#JOB_PATTERN}); the same name again answers that job's state
 * @param database database of the tables
 * @param tables   the replicated tables
 */
public record DumpRequest(String job, String database, List<String> tables) {
    public DumpRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
