package io.pgmesh.bench;

import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.protocol.Credentials;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A writer at full speed beside check, repair and add-node: one thread per node, each on its own autocommitted JDBC
 * connection through the node's published port, one statement after another without pauses. {@link Kind#INSERT}
 * inserts new rows (in the node's own key range); {@link Kind#UPDATE} updates random existing rows of a key range
 * (rows outside it are left alone). Bounded in time and in statements per thread.
 */
final class RowWriter implements AutoCloseable {

    enum Kind { INSERT, UPDATE }

    record Outcome(long operations, long errors, double seconds, String firstError) {
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long start = System.nanoTime();
    private Outcome outcome;

    /**
     * Starts the threads.
     *
     * @param ids the key range an update writer updates (inclusive; ignored for inserts)
     */
    RowWriter(Kind kind, List<Integer> ports, String database, Credentials writer, SuiteTable table, long[] ids,
              Duration limit, long maxPerThread) {
        String sql = kind == Kind.INSERT
                ? "INSERT INTO \"" + table.table() + "\" (\"" + table.secondText() + "\") VALUES (?)"
                : table.updateSql();
        long deadline = start + limit.toNanos();
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            String who = "node port " + port + " " + kind.name().toLowerCase();
            Thread t = new Thread(() -> {
                try (Connection c = BenchClusters.connect(port, database, writer);
                     PreparedStatement ps = c.prepareStatement(sql)) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (long n = 0; n < maxPerThread && !stop.get() && System.nanoTime() < deadline; n++) {
                        try {
                            ps.setString(1, "bench " + kind.name().toLowerCase() + " " + n);
                            if (kind == Kind.UPDATE) {
                                ps.setLong(2, random.nextLong(ids[0], ids[1] + 1));
                            }
                            ps.executeUpdate();
                            operations.incrementAndGet();
                        } catch (SQLException e) {
                            error(who + ": " + e.getMessage());
                        }
                    }
                } catch (SQLException e) {
                    error(who + " could not connect: " + e.getMessage());
                }
            }, "row-writer-" + kind.name().toLowerCase() + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    /** Statements committed so far, over all threads. */
    long operations() {
        return operations.get();
    }

    /** Failed statements so far. */
    long errors() {
        return errors.get();
    }

    /**
     * True when every thread has ended on its own bound (time or statements) without being stopped: from then on the
     * operation it was meant to load ran idle.
     */
    boolean ranOut() {
        return !stop.get() && threads.stream().noneMatch(Thread::isAlive);
    }

    /** Stops the threads (each after its current statement) and waits for them. */
    synchronized Outcome stop() {
        if (outcome == null) {
            stop.set(true);
            for (Thread t : threads) {
                try {
                    t.join(Duration.ofMinutes(2).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            outcome = new Outcome(operations.get(), errors.get(), (System.nanoTime() - start) / 1e9, firstError.get());
        }
        return outcome;
    }

    @Override
    public void close() {
        stop();
    }
}
