package io.pgmesh.protocol;

/** Ask a node for everything it knows about one row: its version, tombstones, conflicts resolved. */
public record ExplainRequest(String database, String table, long id) {
}
