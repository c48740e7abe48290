package io.pgmesh.node.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A session whose changes carry a replication origin: peers subscribe with {@code origin = none},
 * so they never receive these changes. Used for changes that must stay on this node (repairs
 * applied as if replicated, pruning of history every node prunes for itself).
 */
final class OriginSession {

    private OriginSession() {
    }

    /** SQL work on one connection. */
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction whose changes carry {@code origin}; rolls back on failure,
     * and leaves the connection unbound and in its autocommit mode either way.
     */
    static void inTransaction(Connection connection, String origin, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            begin(connection, origin);
            work.run();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            end(connection);
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Creates the origin when missing and binds this session to it. */
    private static void begin(Connection connection, String origin) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT pg_replication_origin_oid(?) IS NULL")) {
            exists.setString(1, origin);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    try (PreparedStatement create = connection.prepareStatement("SELECT pg_replication_origin_create(?)")) {
                        create.setString(1, origin);
                        create.execute();
                    }
                }
            }
        }
        try (PreparedStatement setup = connection.prepareStatement("SELECT pg_replication_origin_session_setup(?)")) {
            setup.setString(1, origin);
            setup.execute();
        }
    }

    /** Unbinds the session; a failure is ignored (the connection is closed after the call anyway). */
    private static void end(Connection connection) {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_replication_origin_session_reset()");
        } catch (SQLException ignored) {
            // the session ends with the connection
        }
    }
}
