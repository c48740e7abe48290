package io.pgmesh.node.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Removes conflict history older than a cutoff on this node: tombstones, shadow versions and the
 * conflict log. A tombstone or shadow only matters to a change stamped before it that has not
 * arrived yet; the caller guarantees that every change stamped before the cutoff has been applied
 * on every node (no older transaction open, then replication drained), so what is older than the
 * cutoff can never be consulted again. Deletes in batches of {@value #BATCH} rows, each batch in its
 * own transaction under the replication origin {@value #ORIGIN}: every node prunes for itself, and
 * peers never receive these deletes. An interrupted prune leaves only older history behind.
 */
public final class HistoryPrune {

    public static final String ORIGIN = "pgmesh_prune";
    /** Rows one prune transaction deletes at most. */
    static final int BATCH = 10_000;

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;

    public HistoryPrune(Connection connection, StepLog steps) {
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.steps = steps;
    }

    static String deleteTombstones(String table) {
        return deleteBatch(ConflictDdl.tombstoneTable(table), "deleted_ts");
    }

    static String deleteShadows(String table) {
        return deleteBatch(ConflictDdl.shadowTable(table), "modified_ts");
    }

    static String deleteConflicts() {
        return deleteBatch(ConflictDdl.CONFLICTS_TABLE, "resolved_at");
    }

    /** At most {@value #BATCH} rows older than the parameter, so that no transaction grows with the history. */
    private static String deleteBatch(String table, String timeColumn) {
        return "DELETE FROM " + Sql.table(table) + " WHERE ctid IN (SELECT ctid FROM " + Sql.table(table)
                + " WHERE " + Sql.ident(timeColumn) + " < ? LIMIT " + BATCH + ")";
    }

    /** Prunes the tables' tombstones and shadows and the conflict log; records what it removed. */
    public void prune(List<String> tables, Instant cutoff) throws SQLException {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        for (String table : tables) {
            deleteOlder(deleteTombstones(table), before, "tombstone", "tombstones", " of " + table, cutoff);
            if (catalog.tableExists(ConflictDdl.shadowTable(table))) {
                deleteOlder(deleteShadows(table), before, "shadow version", "shadow versions", " of " + table, cutoff);
            }
        }
        deleteOlder(deleteConflicts(), before, "conflict-log entry", "conflict-log entries", "", cutoff);
    }

    /** Deletes batch after batch, each in its own transaction, until a batch comes back short. */
    private void deleteOlder(String sql, OffsetDateTime before, String one, String many, String of, Instant cutoff)
            throws SQLException {
        int removed = 0;
        int batch;
        do {
            int[] count = new int[1];
            OriginSession.inTransaction(connection, ORIGIN, () -> {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setObject(1, before);
                    count[0] = delete.executeUpdate();
                }
            });
            batch = count[0];
            removed += batch;
        } while (batch == BATCH);
        if (removed > 0) {
            steps.record(pruned(removed, one, many) + of + " older than " + cutoff);
        }
    }

    /** "pruned 1 tombstone", "pruned 3 tombstones". */
    static String pruned(int count, String one, String many) {
        return "pruned " + count + " " + (count == 1 ? one : many);
    }
}
