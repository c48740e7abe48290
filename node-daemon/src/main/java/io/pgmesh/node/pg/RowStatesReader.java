package io.pgmesh.node.pg;

import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the state (row version and deletes) of many keys of a table in one read-only snapshot,
 * two queries whatever the number of keys. Changes nothing.
 */
public final class RowStatesReader {

    private static final Logger log = LoggerFactory.getLogger(RowStatesReader.class);

    private final Connection connection;
    private final String node;

    public RowStatesReader(Connection connection, String node) {
        this.connection = connection;
        this.node = node;
    }

    /**
     * @param userColumns the table's user columns, in order (the key among them)
     * @return one state per key, in the order of {@code ids}
     */
    public List<RowState> read(String table, String keyColumn, List<String> userColumns, List<Long> ids)
            throws SQLException {
        log.info("[{}] reading the state of {} rows of table {}", node, ids.size(), table);
        Map<Long, RowVersion> rows = new HashMap<>();
        Map<Long, List<Tombstone>> tombstones = new HashMap<>();
        try (ReadSnapshot ignored = new ReadSnapshot(connection)) {
            Array keys = connection.createArrayOf("bigint", ids.toArray());
            try (PreparedStatement ps = connection.prepareStatement(RowExplainSql.rows(table, keyColumn, userColumns))) {
                ps.setArray(1, keys);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> values = new LinkedHashMap<>();
                        for (int i = 0; i < userColumns.size(); i++) {
                            values.put(userColumns.get(i), rs.getString(7 + i));
                        }
                        rows.put(rs.getLong(1), new RowVersion(time(rs, 2), time(rs, 3), rs.getInt(4), time(rs, 5),
                                (Integer) rs.getObject(6), values));
                    }
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(RowExplainSql.tombstonesOf(table))) {
                ps.setArray(1, keys);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tombstones.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new Tombstone(time(rs, 2), rs.getInt(3), time(rs, 4), rs.getInt(5)));
                    }
                }
            }
        }
        List<RowState> states = new ArrayList<>(ids.size());
        for (long id : ids) {
            states.add(new RowState(id, rows.get(id), tombstones.getOrDefault(id, List.of())));
        }
        return states;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        return RowExplainSql.iso(rs.getObject(column, OffsetDateTime.class));
    }
}
