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

    static String describe(int pid, String user, String application, String state, OffsetDateTime started) {
        String app = application == null || application.isEmpty() ? "" : ", application '" + application + "'";
        return "pid " + pid + " (" + user + app + ", " + state + ") open since " + started.toInstant();
    }
}
