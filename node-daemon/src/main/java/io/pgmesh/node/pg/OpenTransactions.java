package io.pgmesh.node.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Client transactions of a database that began before an instant and are still open. Every change
 * is stamped inside its transaction (clock_timestamp() in the version triggers), so once none is
 * left, no change stamped before the instant can still commit. Replication workers are left out:
 * what they apply was stamped on another node, and the drain covers it.
 */
public final class OpenTransactions {

    static final String QUERY = "SELECT pid, usename, application_name, state, xact_start FROM pg_catalog.pg_stat_activity"
            + " WHERE datname = ? AND backend_type = 'client backend' AND pid <> pg_catalog.pg_backend_pid()"
            + " AND xact_start < ? ORDER BY xact_start, pid";

    /**
     * The statement's own start (taken before pg_stat_activity is read) and the oldest open client
     * transaction of the database, if any. A transaction not listed has either committed (its commit is
     * then in the WAL) or reported its start after the read, and stamps only after that.
     */
    static final String HORIZON = "SELECT statement_timestamp() AS read_at, a.pid, a.usename, a.application_name, a.state,"
            + " a.xact_start FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT pid, usename, application_name, state,"
            + " xact_start FROM pg_catalog.pg_stat_activity WHERE datname = ? AND backend_type = 'client backend'"
            + " AND pid <> pg_catalog.pg_backend_pid() AND xact_start IS NOT NULL ORDER BY xact_start, pid LIMIT 1) AS a"
            + " ON true";

    /** Up to when every change this node stamped is committed, and which transaction holds that back (or null). */
    public record Horizon(Instant instant, String heldBy) {
    }

    private final Connection connection;

    public OpenTransactions(Connection connection) {
        this.connection = connection;
    }

    /** One line per open transaction begun before {@code instant}, oldest first. */
    public List<String> startedBefore(String database, Instant instant) throws SQLException {
        List<String> open = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement(QUERY)) {
            q.setString(1, database);
            q.setObject(2, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    open.add(describe(rs.getInt("pid"), rs.getString("usename"), rs.getString("application_name"),
                            rs.getString("state"), rs.getObject("xact_start", OffsetDateTime.class)));
                }
            }
        }
        return open;
    }

    /**
     * Every change stamped before the returned instant has committed or rolled back: versions are
     * stamped with clock_timestamp() inside their transaction, never before its start. Must run in
     * autocommit mode (pg_stat_activity is read once per transaction).
     */
    public Horizon horizon(String database) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(HORIZON)) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Instant readAt = rs.getObject("read_at", OffsetDateTime.class).toInstant();
                OffsetDateTime oldest = rs.getObject("xact_start", OffsetDateTime.class);
                if (oldest == null || !oldest.toInstant().isBefore(readAt)) {
                    return new Horizon(readAt, null);
                }
                return new Horizon(oldest.toInstant(), describe(rs.getInt("pid"), rs.getString("usename"),
                        rs.getString("application_name"), rs.getString("state"), oldest));
            }
        }
    }

    static String describe(int pid, String user, String application, String state, OffsetDateTime started) {
        String app = application == null || application.isEmpty() ? "" : ", application '" + application + "'";
        return "pid " + pid + " (" + user + app + ", " + state + ") open since " + started.toInstant();
    }
}
