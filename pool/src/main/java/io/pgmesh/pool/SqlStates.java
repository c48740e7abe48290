package io.pgmesh.pool;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Classifies SQL errors: which ones say "this node/connection is gone" rather than "this statement failed".
 * The one place that knows which SQLSTATEs mean "the server went away": the pool and the node daemon
 * (io.pgmesh.node.pg.PgErrors) both classify with it.
 */
public final class SqlStates {

    /** SQLSTATE the pool uses when no node could serve a borrow (sqlclient_unable_to_establish_sqlconnection). */
    public static final String UNABLE_TO_CONNECT = "08001";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String CRASH_SHUTDOWN = "57P02";
    public static final String CANNOT_CONNECT_NOW = "57P03";

    private SqlStates() {
    }

    /** True for SQLSTATE class 08 and 57P01/57P02/57P03 (admin shutdown, crash shutdown, cannot connect now). */
    public static boolean isConnectionState(String sqlState) {
        return isConnectionClass(sqlState) || isServerStoppingOrStarting(sqlState);
    }

    /** True for SQLSTATE class 08, connection exception: the connection failed or could not be made. */
    public static boolean isConnectionClass(String sqlState) {
        return sqlState != null && sqlState.startsWith("08");
    }

    /**
     * True for 57P01, 57P02 and 57P03 (admin shutdown, crash shutdown, cannot connect now): the server itself is
     * stopping, crashing or still starting. Other class 57 states (e.g. 57014 query canceled) are not.
     */
    public static boolean isServerStoppingOrStarting(String sqlState) {
        return ADMIN_SHUTDOWN.equals(sqlState) || CRASH_SHUTDOWN.equals(sqlState) || CANNOT_CONNECT_NOW.equals(sqlState);
    }

    /**
     * True when the error, or an SQLException in its cause / next-exception chain, has a connection-class SQLSTATE
     * (see {@link #isConnectionState}) or is a {@link SQLTransientConnectionException} (e.g. Hikari's borrow timeout)
     * or {@link SQLNonTransientConnectionException}.
     */
    public static boolean isConnectionFailure(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        return check(error, seen, 0);
    }

    private static boolean check(Throwable t, Map<Throwable, Boolean> seen, int depth) {
        if (t == null || depth > 20 || seen.put(t, Boolean.TRUE) != null) {
            return false;
        }
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            if (isConnectionState(sql.getSQLState())) {
                return true;
            }
            if (check(sql.getNextException(), seen, depth + 1)) {
                return true;
            }
        }
        return check(t.getCause(), seen, depth + 1);
    }

    /** {@code [SQLSTATE] message} of an error, for messages. */
    static String describe(Throwable t) {
        String text = describeOne(t);
        Throwable cause = t.getCause();
        if (cause != null && cause != t && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (cause: " + describeOne(cause) + ")";
        }
        return text;
    }

    private static String describeOne(Throwable t) {
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return "[" + sql.getSQLState() + "] " + t.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
