package io.pgmesh.node.pg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Anti-entropy for one row: applies the version the conflict rules picked (or the row's deletion)
 * as a replicated change. It runs under the replication origin {@value #ORIGIN} with
 * session_replication_role = replica, so the version triggers judge it exactly like a peer's
 * change and the peers never receive it back (they subscribe with origin = none).
 */
public final class RowRepair {

    public static final String ORIGIN = "pgmesh_repair";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final StepLog steps;

    public RowRepair(Connection connection, StepLog steps) {
        this.connection = connection;
        this.steps = steps;
    }

    /** Brings the row to {@code winner} (null: deleted) and adds the tombstones this node lacks. */
    public void apply(String table, String keyColumn, long id, RowVersion winner, List<Tombstone> tombstones)
            throws SQLException {
        Optional<String> before = version(table, keyColumn, id);
        OriginSession.inTransaction(connection, ORIGIN, () -> {
            try (Statement st = connection.createStatement()) {
                st.execute("SET LOCAL session_replication_role = replica");
            }
            for (Tombstone t : tombstones) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
                        + Sql.table(ConflictDdl.tombstoneTable(table)) + " (id, deleted_ts, deleted_by, row_modified_ts,"
                        + " row_modified_by) VALUES (?, ?::timestamptz, ?, ?::timestamptz, ?) ON CONFLICT DO NOTHING")) {
                    insert.setLong(1, id);
                    insert.setString(2, t.deletedTs());
                    insert.setInt(3, t.deletedBy());
                    insert.setString(4, t.rowModifiedTs());
                    insert.setInt(5, t.rowModifiedBy());
                    insert.executeUpdate();
                }
            }
            if (winner != null) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + Sql.table(table)
                        + " SELECT * FROM jsonb_populate_record(NULL::" + Sql.table(table) + ", ?::jsonb)")) {
                    insert.setString(1, rowJson(winner));
                    insert.executeUpdate();
                }
            } else {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + Sql.table(table)
                        + " WHERE " + Sql.ident(keyColumn) + " = ?")) {
                    delete.setLong(1, id);
                    delete.executeUpdate();
                }
            }
        });
        Optional<String> after = version(table, keyColumn, id);
        if (!after.equals(before)) {
            steps.record("repaired " + table + " id " + id + ": " + before.orElse("absent") + " -> "
                    + after.orElse("absent"));
        }
    }

    /** The row as a jsonb object of every column, for jsonb_populate_record. */
    static String rowJson(RowVersion v) {
        ObjectNode row = JSON.createObjectNode();
        v.values().forEach(row::put);
        row.put("created_ts", v.createdTs());
        row.put("modified_ts", v.modifiedTs());
        row.put("modified_by", v.modifiedBy());
        row.put("prev_modified_ts", v.prevModifiedTs());
        if (v.prevModifiedBy() == null) {
            row.putNull("prev_modified_by");
        } else {
            row.put("prev_modified_by", v.prevModifiedBy());
        }
        return row.toString();
    }

    private Optional<String> version(String table, String keyColumn, long id) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT modified_ts::text || ' by node' || modified_by FROM "
                + Sql.table(table) + " WHERE " + Sql.ident(keyColumn) + " = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
