package io.pgmesh.orchestrator.suite;

import io.pgmesh.pool.Lease;
import io.pgmesh.pool.MeshPool;
import io.pgmesh.pool.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs single operations through the load-balanced pool and records them. An operation whose
 * connection broke (the node went away) is retried once, on the next live node; any other failure
 * is recorded as an error and the suite goes on.
 */
public final class Operations {

    /** One unit of work on one borrowed connection. */
    @FunctionalInterface
    public interface Operation<T> {
        T run(Connection connection) throws SQLException;
    }

    private final MeshPool pool;
    private final OperationStats stats;

    public Operations(MeshPool pool, OperationStats stats) {
        this.pool = pool;
        this.stats = stats;
    }

    public OperationStats stats() {
        return stats;
    }

    /** The operation's value, or null when it failed (the failure is recorded). */
    public <T> T run(String group, Operation<T> operation) {
        for (int attempt = 1; ; attempt++) {
            String node = "-";
            long start = System.nanoTime();
            try (Lease lease = pool.borrow(group)) {
                node = lease.node().name();
                try {
                    T value = operation.run(lease.connection());
                    stats.succeeded(group, node, System.nanoTime() - start);
                    return value;
                } catch (SQLException e) {
                    lease.failed(e);
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt == 1 && SqlStates.isConnectionFailure(e)) {
                    stats.retried();
                    continue;
                }
                stats.failed(group, node, e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
                return null;
            }
        }
    }
}
