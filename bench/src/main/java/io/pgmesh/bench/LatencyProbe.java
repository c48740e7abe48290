package io.pgmesh.bench;

import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.protocol.Credentials;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Replication latency, one sample at a time: an autocommitted INSERT on one node, then a tight loop of primary-key
 * SELECTs on every other node (one JDBC connection each, through the published 127.0.0.1 ports), round after round
 * with a 0.5 ms pause between rounds, until the row is on all of them. A sample is the time from sending the INSERT to the last node showing the row, so it includes
 * the INSERT's own round trip and one polling round (an upper bound on commit-to-visible).
 */
final class LatencyProbe implements AutoCloseable {

    /** A sample that did not become visible everywhere within the deadline. */
    static final double TIMED_OUT = -1;

    /** Pause between two polling rounds. */
    static final long POLL_PAUSE_NANOS = 500_000;

    private final List<Connection> connections = new ArrayList<>();
    private final List<PreparedStatement> inserts = new ArrayList<>();
    private final List<PreparedStatement> lookups = new ArrayList<>();

    /** Through ports published on 127.0.0.1 (one engine). */
    static LatencyProbe onLocalPorts(List<Integer> pgPorts, String database, Credentials writer, SuiteTable table)
            throws SQLException {
        return onLocalPorts(pgPorts, database, writer, table, null);
    }

    /** As above, every connection verify-full against {@code serverCa} when it is not null. */
    static LatencyProbe onLocalPorts(List<Integer> pgPorts, String database, Credentials writer, SuiteTable table,
                                     java.nio.file.Path serverCa) throws SQLException {
        return new LatencyProbe(pgPorts.stream().map(p -> new io.pgmesh.orchestrator.runtime.Endpoint("127.0.0.1", p))
                .toList(), database, writer, table, serverCa);
    }

    /** Through the nodes' endpoints as the runtime gives them (on a Swarm: each node's host address). */
    LatencyProbe(List<io.pgmesh.orchestrator.runtime.Endpoint> nodes, String database, Credentials writer,
                 SuiteTable table) throws SQLException {
        this(nodes, database, writer, table, null);
    }

    LatencyProbe(List<io.pgmesh.orchestrator.runtime.Endpoint> nodes, String database, Credentials writer,
                 SuiteTable table, java.nio.file.Path serverCa) throws SQLException {
        String q = "\"";
        String insert = "INSERT INTO " + q + table.table() + q + " (" + q + table.secondText() + q
                + ") VALUES ('latency-probe') RETURNING " + q + table.key() + q;
        String lookup = "SELECT 1 FROM " + q + table.table() + q + " WHERE " + q + table.key() + q + " = ?";
        try {
            for (io.pgmesh.orchestrator.runtime.Endpoint node : nodes) {
                Connection c = BenchClusters.connect(node, database, writer, serverCa);
                connections.add(c);
                inserts.add(c.prepareStatement(insert));
                lookups.add(c.prepareStatement(lookup));
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    int nodes() {
        return connections.size();
    }

    /** Milliseconds until a row inserted on node {@code origin} is visible on every other node; or {@link #TIMED_OUT}. */
    double sample(int origin, Duration timeout) throws SQLException {
        long start = System.nanoTime();
        long id;
        try (ResultSet rs = inserts.get(origin).executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        List<Integer> waiting = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            if (i != origin) {
                waiting.add(i);
            }
        }
        long deadline = start + timeout.toNanos();
        while (!waiting.isEmpty()) {
            for (int k = waiting.size() - 1; k >= 0; k--) {
                PreparedStatement lookup = lookups.get(waiting.get(k));
                lookup.setLong(1, id);
                try (ResultSet rs = lookup.executeQuery()) {
                    if (rs.next()) {
                        waiting.remove(k);
                    }
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return TIMED_OUT;
                }
                // a short pause between polling rounds: on 2 cores a spinning poller would take the CPU from the
                // apply workers it is waiting for
                LockSupport.parkNanos(POLL_PAUSE_NANOS);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Samples of one series: milliseconds of those that arrived, and how many timed out. */
    record Series(List<Double> millis, int timeouts) {
    }

    /** {@code count} samples, origins in turn, {@code pauseMillis} apart. */
    Series samples(int count, Duration timeout, long pauseMillis) throws SQLException {
        List<Double> millis = new ArrayList<>();
        int timeouts = 0;
        for (int i = 0; i < count; i++) {
            double ms = sample(i % nodes(), timeout);
            if (ms == TIMED_OUT) {
                timeouts++;
            } else {
                millis.add(ms);
            }
            LockSupport.parkNanos(pauseMillis * 1_000_000L);
        }
        return new Series(millis, timeouts);
    }

    /** Fails unless a row written on the first node reaches the last one and back: the mesh really replicates. */
    void requireReplicating(Duration timeout) throws SQLException {
        if (nodes() < 2) {
            return;
        }
        for (int origin : new int[]{nodes() - 1, 0}) {
            if (sample(origin, timeout) == TIMED_OUT) {
                throw new IllegalStateException("a row inserted on node" + origin + " did not reach every other node"
                        + " within " + timeout.toSeconds() + " s: the mesh does not replicate");
            }
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
