package io.pgmesh.bench;

import io.pgmesh.orchestrator.config.PoolGroupConfig;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.suite.InsertSuite;
import io.pgmesh.orchestrator.suite.OperationStats;
import io.pgmesh.orchestrator.suite.Operations;
import io.pgmesh.orchestrator.suite.SuiteEnv;
import io.pgmesh.orchestrator.suite.SuiteOptions;
import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.pool.GroupRole;
import io.pgmesh.pool.GroupSpec;
import io.pgmesh.pool.Login;
import io.pgmesh.pool.MeshPool;
import io.pgmesh.pool.MeshPoolConfig;
import io.pgmesh.pool.NodeEndpoint;
import io.pgmesh.protocol.Credentials;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The insert suite in load mode ({@code pgmesh test insert --no-sleep}: 800 inserts per pass through the pool
 * groups writer1 and writer2, no pauses), run by {@code concurrency} clients at once through one pool, over any set
 * of PostgreSQL endpoints: a mesh's nodes or one plain server. The pool is the configured writer groups (writer1
 * 20 + writer2 10 connections), split over the endpoints as MeshPool splits them.
 */
final class InsertLoad implements AutoCloseable {

    private static final SuiteOptions LOAD_MODE = new SuiteOptions(1, false);

    record Outcome(long inserts, long errors, double seconds, List<String> firstErrors) {
    }

    private final MeshPool pool;
    private final SuiteTable table;

    InsertLoad(List<NodeEndpoint> endpoints, SysConfig config, Credentials writer) {
        this(endpoints, config, writer, null);
    }

    /** @param serverCa null: the driver's default; else every pooled connection verify-full against this CA file */
    InsertLoad(List<NodeEndpoint> endpoints, SysConfig config, Credentials writer, java.nio.file.Path serverCa) {
        List<GroupSpec> groups = new ArrayList<>();
        for (PoolGroupConfig g : config.poolGroups()) {
            if (g.writer()) {
                groups.add(new GroupSpec(g.id(), GroupRole.WRITER, g.connections(), g.autocommit()));
            }
        }
        MeshPoolConfig poolConfig = MeshPoolConfig.of(config.database(), endpoints,
                Map.of(GroupRole.WRITER, new Login(writer.user(), writer.password())), groups);
        this.pool = MeshPool.open(serverCa == null ? poolConfig : poolConfig.withServerCa(serverCa));
        this.table = SuiteTable.from(config.tables().get(0));
    }

    /** Runs passes of the suite on {@code concurrency} threads until {@code duration} has passed; blocks. */
    Outcome runFor(Duration duration, int concurrency) {
        Running running = start(concurrency, duration);
        return running.await();
    }

    /** Starts the load in the background until {@link Running#stop()} (bounded by {@code limit}). */
    Running start(int concurrency, Duration limit) {
        return new Running(concurrency, limit);
    }

    final class Running {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<OperationStats> stats = new ArrayList<>();
        private final long start = System.nanoTime();

        private Running(int concurrency, Duration limit) {
            long deadline = start + limit.toNanos();
            for (int i = 0; i < concurrency; i++) {
                OperationStats s = new OperationStats();
                stats.add(s);
                SuiteEnv env = new SuiteEnv(new Operations(pool, s), table, LOAD_MODE, () -> { });
                Thread t = new Thread(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        new InsertSuite().run(env);
                    }
                }, "insert-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Ends after the passes running now (each stops at its end). */
        Outcome stop() {
            stop.set(true);
            return await();
        }

        Outcome await() {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                    throw new IllegalStateException("interrupted", e);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long inserts = stats.stream().mapToLong(OperationStats::succeeded).sum();
            long errors = stats.stream().mapToLong(OperationStats::errors).sum();
            List<String> firstErrors = stats.stream().flatMap(s -> s.firstErrors().stream()).limit(5).toList();
            return new Outcome(inserts, errors, seconds, firstErrors);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
