package io.pgmesh.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One borrowed connection of a group, from one node. {@link #close()} gives it back to its pool. If the caller's work
 * on it failed with an SQLException, report it with {@link #failed(SQLException)}: on a connection-class error the
 * connection is evicted and the node is marked down.
 */
public final class Lease implements AutoCloseable {

    private final MeshPool owner;
    private final String group;
    private final NodeEndpoint node;
    private final Connection connection;
    private final PooledDataSource pool;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean evicted = new AtomicBoolean();

    Lease(MeshPool owner, String group, NodeEndpoint node, Connection connection, PooledDataSource pool) {
        this.owner = owner;
        this.group = group;
        this.node = node;
        this.connection = connection;
        this.pool = pool;
    }

    public String group() {
        return group;
    }

    public NodeEndpoint node() {
        return node;
    }

    public Connection connection() {
        return connection;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Evicts this connection from its pool (closed when given back) without marking the node down. */
    public void markBroken() {
        if (evicted.compareAndSet(false, true)) {
            pool.evict(connection);
        }
    }

    /**
     * Reports that work on this connection failed with {@code error}. If it is a connection-class error (SQLSTATE class
     * 08, 57P01, 57P02, 57P03, see {@link SqlStates#isConnectionFailure}) the connection is evicted and the node is
     * marked down; otherwise (e.g. 23505 unique violation) nothing happens. The lease must still be closed.
     *
     * @return true if the error was connection-class
     */
    public boolean failed(SQLException error) {
        if (!SqlStates.isConnectionFailure(error)) {
            return false;
        }
        markBroken();
        owner.reportNodeFailure(node, group, error);
        return true;
    }

    /** Gives the connection back to its pool; idempotent, never throws. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                MeshPool.LOG.debug("closing a connection of group {} on node {} failed: {}",
                        group, node.name(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "Lease[group=" + group + ", node=" + node.name() + (closed.get() ? ", closed" : "") + "]";
    }
}
