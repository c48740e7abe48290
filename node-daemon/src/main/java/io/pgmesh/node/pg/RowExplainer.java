package io.pgmesh.node.pg;

import io.pgmesh.protocol.ConflictRecord;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what this node knows about one row, in one read-only snapshot. Changes nothing. */
public final class RowExplainer {

    private static final Logger log = LoggerFactory.getLogger(RowExplainer.class);

    private final Connection connection;
    private final String node;

    public RowExplainer(Connection connection, String node) {
        this.connection = connection;
        this.node = node;
    }

    /**
     * @param userColumns the table's user columns, in order (the key among them)
     */
    public RowExplanation explain(String table, String keyColumn, List<String> userColumns, long id)
            throws SQLException {
        log.info("[{}] explaining row {} of table {}", node, id, table);
        try (ReadSnapshot ignored = new ReadSnapshot(connection)) {
            return new RowExplanation(node, table, id, row(table, keyColumn, userColumns, id), tombstones(table, id),
                    conflicts(table, id));
        }
    }

    private RowVersion row(String table, String keyColumn, List<String> userColumns, long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(RowExplainSql.row(table, keyColumn, userColumns))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < userColumns.size(); i++) {
                    values.put(userColumns.get(i), rs.getString(6 + i));
                }
                return new RowVersion(time(rs, 1), time(rs, 2), rs.getInt(3), time(rs, 4),
                        (Integer) rs.getObject(5), values);
            }
        }
    }

    private List<Tombstone> tombstones(String table, long id) throws SQLException {
        List<Tombstone> tombstones = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(RowExplainSql.tombstones(table))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tombstones.add(new Tombstone(time(rs, 1), rs.getInt(2), time(rs, 3), rs.getInt(4)));
                }
            }
        }
        return tombstones;
    }

    private List<ConflictRecord> conflicts(String table, long id) throws SQLException {
        List<ConflictRecord> conflicts = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(RowExplainSql.conflicts())) {
            ps.setString(1, table);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conflicts.add(new ConflictRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), time(rs, 7)));
                }
            }
        }
        return conflicts;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        return RowExplainSql.iso(rs.getObject(column, OffsetDateTime.class));
    }
}
