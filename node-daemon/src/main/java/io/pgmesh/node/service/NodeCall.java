package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.PgErrors;
import io.pgmesh.node.pg.StepLog;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.StepResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * What every daemon call shares: who this node is, the databases it was given, the admin lock,
 * and the one skeleton of a call (open a session on a database, run the work on it, turn an
 * SQLException into the boundary error "[node] could not &lt;doing&gt;: ..."). The calls of each
 * concern ({@link TopologyCalls}, {@link TableCalls}, ...) are written against it.
 */
final class NodeCall {

    /** Work on an open session that yields a result. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Changing work on an open session, recording its steps. */
    @FunctionalInterface
    interface SqlSteps {
        void run(Connection connection, StepLog steps) throws SQLException;
    }

    private final NodeConnections connections;
    private final StateStore state;
    /** Changing calls run one at a time (one admin operation per node). */
    private final Object adminLock = new Object();
    private volatile NetworkTopology topology;
    private final io.pgmesh.node.pg.PeerTls peerTls;

    NodeCall(NodeConnections connections, StateStore state, io.pgmesh.node.pg.PeerTls peerTls) {
        this.connections = connections;
        this.peerTls = peerTls;
        this.state = state;
        this.topology = state.topology().orElse(null);
    }

    NodeConnections connections() {
        return connections;
    }

    /** How this node reaches its peers' PostgreSQL: TLS, certificate login. */
    io.pgmesh.node.pg.PeerTls peerTls() {
        return peerTls;
    }

    StateStore state() {
        return state;
    }

    /** The topology last stored, or null before updateNetworkTopology. */
    NetworkTopology topology() {
        return topology;
    }

    void topology(NetworkTopology update) {
        this.topology = update;
    }

    /** This node's name, or {@link NodeRpcService#UNCONFIGURED}. */
    String nodeName() {
        NetworkTopology current = topology;
        return current == null ? NodeRpcService.UNCONFIGURED : current.nodeName();
    }

    /** Runs a changing call (or its changing part) under the admin lock. */
    <T> T underAdminLock(Supplier<T> call) {
        synchronized (adminLock) {
            return call.get();
        }
    }

    NetworkTopology requireTopology() {
        NetworkTopology current = topology;
        if (current == null) {
            throw NodeOperationException.notConfigured(NodeRpcService.UNCONFIGURED,
                    "this node has no topology yet; call updateNetworkTopology first");
        }
        return current;
    }

    StateStore.DatabaseRoles requireDatabase(String node, String database) {
        return state.database().filter(d -> d.name().equals(database)).orElseThrow(() ->
                NodeOperationException.notConfigured(node, "database " + database
                        + " was not initialized on this node; call initDatabase first"));
    }

    /**
     * The skeleton: a new session on {@code database}, the work on it, and any SQLException as
     * "[node] could not {@code doing}: ..." (a failed connect as "could not connect to database ...").
     */
    <T> T on(String node, String database, String doing, SqlWork<T> work) {
        try (Connection c = open(node, database)) {
            return work.run(c);
        } catch (SQLException e) {
            throw PgErrors.failed(node, doing, e);
        }
    }

    /** {@link #on} on a database initDatabase made (else NOT_CONFIGURED, before connecting). */
    <T> T onInitialized(String node, String database, String doing, SqlWork<T> work) {
        requireDatabase(node, database);
        return on(node, database, doing, work);
    }

    /** {@link #on} for changing work: its steps are the call's result (empty when nothing had to change). */
    StepResult steps(String node, String database, String doing, SqlSteps work) {
        StepLog steps = new StepLog(node);
        on(node, database, doing, c -> {
            work.run(c, steps);
            return null;
        });
        return new StepResult(node, steps.actions());
    }

    /** {@link #on} on a pooled read-only session (for the calls polled often). */
    <T> T reading(String node, String database, String doing, SqlWork<T> work) {
        try (Connection c = connections.openForReading(database)) {
            return work.run(c);
        } catch (SQLException e) {
            throw PgErrors.failed(node, doing, e);
        }
    }

    private Connection open(String node, String database) {
        try {
            return connections.open(database);
        } catch (SQLException e) {
            throw PgErrors.failed(node, "connect to database " + database, e);
        }
    }
}
