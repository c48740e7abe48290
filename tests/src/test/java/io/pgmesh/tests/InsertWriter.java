package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client at full speed beside a live operation: inserts one row after another into table1 on one node, without
 * pauses, recording every acknowledged id; bounded to 1,000,000 rows and 4 minutes.
 */
final class InsertWriter implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<String> error = new AtomicReference<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Thread thread;

    InsertWriter(ClusterContext ctx, NodeContainer node, Set<Long> acknowledged) {
        this.thread = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            try (Connection c = TestClusters.connectAsWriter(ctx, node);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                for (int i = 0; i < 1_000_000 && running.get() && System.nanoTime() < deadline; i++) {
                    insert.setString(1, "writer " + i);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        acknowledged.add(rs.getLong(1));
                        count.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                error.compareAndSet(null, e.getMessage());
            }
        }, "insert-writer-" + node.node());
        thread.start();
    }

    /** Rows acknowledged so far. */
    int count() {
        return count.get();
    }

    /** The first error, or null. */
    String error() {
        return error.get();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(30).toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
