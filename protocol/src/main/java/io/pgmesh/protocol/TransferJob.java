package io.pgmesh.protocol;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A dump or load a node runs in the background, and its job file (on the node's data volume, beside its data).
 *
 * @param node          the node
 * @param job           the job's name
 * @param kind          {@link #DUMP} or {@link #LOAD}
 * @param state         {@link #RECEIVING} (a load's file arriving), {@link #RUNNING}, {@link #DONE} or {@link #FAILED}
 * @param bytes         the job file's size so far
 * @param sha256        the file's SHA-256 (hex) once DONE, else null
 * @param tables        a dump: each table's content in the dump's snapshot; a load: each table's after it; empty
 *                      until DONE
 * @param serverVersion the node's PostgreSQL version
 * @param error         why it FAILED, else null
 */
public record TransferJob(String node, String job, String kind, String state, long bytes, String sha256,
                          List<TableChecksum> tables, String serverVersion, String error) {

    public static final String DUMP = "dump";
    public static final String LOAD = "load";
    public static final String RECEIVING = "receiving";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** A job's name: lower-case letters, digits and '-', 1-64 characters. */
    public static final Pattern JOB_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** Largest chunk read or written in one call: its base64 fits the daemon's 1 MiB request frame with room. */
    public static final int MAX_CHUNK_BYTES = 512 * 1024;

    public TransferJob {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public boolean done() {
        return DONE.equals(state);
    }

    public boolean failed() {
        return FAILED.equals(state);
    }
}
