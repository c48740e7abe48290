package io.pgmesh.node.pg;

import io.pgmesh.protocol.TableChecksum;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads tables' {@link TableChecksum}s: row count and order-independent sum of row hashes. */
public final class TableContent {

    private TableContent() {
    }

    /**
     * Each table's checksum, all in the transaction {@code connection} is in. Pins the text-form settings with SET
     * LOCAL, so the caller's connection must not be in autocommit (use {@link #readInOwnSnapshot} otherwise).
     */
    public static List<TableChecksum> read(Connection connection, List<String> tables) throws SQLException {
        List<TableChecksum> sums = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery(TableDigestSql.tableChecksum(table))) {
                    rs.next();
                    sums.add(new TableChecksum(table, rs.getLong(1), rs.getString(2)));
                }
            }
        }
        return sums;
    }

    /** Each table's checksum in one read-only snapshot of its own, on an autocommit connection. */
    public static List<TableChecksum> readInOwnSnapshot(Connection connection, List<String> tables)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            beginSnapshot(connection);
            List<TableChecksum> sums = read(connection, tables);
            connection.commit();
            return sums;
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /** Starts the repeatable-read, read-only transaction with the pinned settings (autocommit off). */
    public static void beginSnapshot(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String setting : TableDigestSql.SNAPSHOT_SETTINGS) {
                s.execute(setting);
            }
        }
    }
}
