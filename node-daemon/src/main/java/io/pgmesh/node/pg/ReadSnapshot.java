package io.pgmesh.node.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A read-only REPEATABLE READ transaction opened with {@link TableDigestSql#SNAPSHOT_SETTINGS}
 * (UTC, ISO dates, ...), so every read in it sees one snapshot and renders values the same way on
 * every node. Ended (rolled back) on close.
 */
final class ReadSnapshot implements AutoCloseable {

    private final Connection connection;

    ReadSnapshot(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String setting : TableDigestSql.SNAPSHOT_SETTINGS) {
                s.execute(setting);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
    }
}
