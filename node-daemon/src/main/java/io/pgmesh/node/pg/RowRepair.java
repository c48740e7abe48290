package io.pgmesh.node.pg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anti-entropy for rows: applies the version the conflict rules picked (or the row's deletion)
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

    /**
     * Brings each row to its state's version (null: deleted) and adds the tombstones this node lacks,
     * all in one transaction. Logs each row whose version changed.
     */
    public void applyAll(String table, String keyColumn, List<RowState> states) throws SQLException {
        List<Long> ids = states.stream().map(RowState::id).toList();
        Map<Long, String> before = versions(table, keyColumn, ids);
        OriginSession.inTransaction(connection, ORIGIN, () -> {
            try (Statement st = connection.createStatement()) {
                st.execute("SET LOCAL session_replication_role = replica");
            }
            try (PreparedStatement tombstone = connection.prepareStatement("INSERT INTO "
                    + Sql.table(ConflictDdl.tombstoneTable(table)) + " (id, deleted_ts, deleted_by, row_modified_ts,"
                    + " row_modified_by) VALUES (?, ?::timestamptz, ?, ?::timestamptz, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO " + Sql.table(table)
                         + " SELECT * FROM jsonb_populate_record(NULL::" + Sql.table(table) + ", ?::jsonb)");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM " + Sql.table(table)
                         + " WHERE " + Sql.ident(keyColumn) + " = ?")) {
                for (RowState state : states) {
                    // the deletes first: the version triggers judge the row against the key's newest delete
                    for (Tombstone t : state.tombstones()) {
                        tombstone.setLong(1, state.id());
                        tombstone.setString(2, t.deletedTs());
                        tombstone.setInt(3, t.deletedBy());
                        tombstone.setString(4, t.rowModifiedTs());
                        tombstone.setInt(5, t.rowModifiedBy());
                        tombstone.executeUpdate();
                    }
                    if (state.row() != null) {
                        insert.setString(1, rowJson(state.row()));
                        insert.executeUpdate();
                    } else {
                        delete.setLong(1, state.id());
                        delete.executeUpdate();
                    }
                }
            }
        });
        Map<Long, String> after = versions(table, keyColumn, ids);
        for (long id : ids) {
            String was = before.get(id);
            String is = after.get(id);
            if (!java.util.Objects.equals(was, is)) {
                steps.record("repaired " + table + " id " + id + ": " + (was == null ? "absent" : was) + " -> "
                        + (is == null ? "absent" : is));
            }
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

    /** Each present key's version as text, e.g. "2026-11-27 13:00:00.123456+00 by node1". */
    private Map<Long, String> versions(String table, String keyColumn, List<Long> ids) throws SQLException {
        Map<Long, String> versions = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT " + Sql.ident(keyColumn)
                + ", modified_ts::text || ' by node' || modified_by FROM " + Sql.table(table) + " WHERE "
                + Sql.ident(keyColumn) + " = ANY (CAST(? AS bigint[]))")) {
            q.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return versions;
    }
}
