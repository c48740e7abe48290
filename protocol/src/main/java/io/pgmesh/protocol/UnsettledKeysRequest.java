package io.pgmesh.protocol;

/**
 * Ask a node which keys of a table it holds an unsettled version or delete of.
 *
 * @param database database of the table
 * @param table    the table
 * @param settled  the cutoffs of settled changes (required)
 */
public record UnsettledKeysRequest(String database, String table, SettledCutoffs settled) {
}
