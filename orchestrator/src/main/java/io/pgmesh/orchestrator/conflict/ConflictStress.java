package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.protocol.Credentials;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code pgmesh test conflicts}: threads pinned to different nodes update the same few rows as
 * fast as they can, and delete and re-insert them, for a bounded time and operation count. The
 * rows are explicit ids near the top of node0's key range, far from where its sequence is.
 */
public final class ConflictStress {

    /** Attempts per operation when it deadlocks or fails to serialize (clients retry those). */
    static final int MAX_ATTEMPTS = 3;

    /** First of the contested ids; the rest follow. */
    public static final long FIRST_ID = 2_147_000_001L;

    /**
     * @param threads          threads, thread i pinned to node i mod N
     * @param duration         how long they hammer
     * @param rows             how many ids they contend for
     * @param maxOpsPerThread  a bound on each thread's operations
     * @param seed             seed of the operation mix (reproducible choice of ids and operations)
     */
    public record Options(int threads, Duration duration, int rows, int maxOpsPerThread, long seed) {
        public Options {
            if (threads < 2) {
                throw new UsageException("--threads", "must be >= 2 to conflict, got " + threads);
            }
            if (rows < 1 || rows > 1000) {
                throw new UsageException("--rows", "must be in 1..1000, got " + rows);
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new UsageException("--seconds", "must be in 1..3600, got " + duration.toSeconds());
            }
            if (maxOpsPerThread < 1) {
                throw new IllegalArgumentException("max operations per thread must be >= 1");
            }
        }
    }

    /** Per node and operation kind, how many succeeded; and the failures. */
    public record Result(Map<String, Map<String, Long>> operations, long errors, long retries,
                         List<String> firstErrors, Duration elapsed) {
        public long total() {
            return operations.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        }
    }

    private final ClusterContext ctx;

    public ConflictStress(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(Options options) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running).toList();
        if (nodes.size() < 2) {
            throw new IllegalStateException("conflicts need at least 2 running nodes; cluster " + ctx.cluster()
                    + " has " + nodes.size());
        }
        SuiteTable table = SuiteTable.from(ctx.config().tables().get(0));
        Credentials writer = MeshSpecs.writer(ctx.config(), ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), false));
        Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        LongAdder retries = new LongAdder();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < options.threads(); t++) {
                NodeContainer node = nodes.get(t % nodes.size());
                SplittableRandom random = new SplittableRandom(options.seed() + t);
                futures.add(pool.submit(() -> hammer(node, writer, table, options, random, deadline,
                        counts.computeIfAbsent(node.node(), n -> new ConcurrentHashMap<>()), errors, retries, firstErrors)));
            }
            for (Future<?> f : futures) {
                f.get(options.duration().toSeconds() + 60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("conflict stress failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Map<String, Long>> result = new TreeMap<>();
        counts.forEach((node, ops) -> {
            Map<String, Long> m = new TreeMap<>();
            ops.forEach((op, n) -> m.put(op, n.sum()));
            result.put(node, m);
        });
        return new Result(result, errors.sum(), retries.sum(), List.copyOf(firstErrors),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Deadlock (40P01) and serialization failure (40001): the statement rolled back; a client retries it. */
    static boolean isRetryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private void hammer(NodeContainer node, Credentials writer, SuiteTable t, Options options, SplittableRandom random,
                        long deadline, Map<String, LongAdder> counts, LongAdder errors, LongAdder retries,
                        List<String> firstErrors) {
        Properties props = new Properties();
        props.setProperty("user", writer.user());
        props.setProperty("password", writer.password());
        props.setProperty("connectTimeout", "5");
        String url = ctx.jdbcUrl(node, ctx.config().database());
        String update = t.updateSql();
        String delete = t.deleteSql();
        String upsert = t.upsertSql();
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement up = c.prepareStatement(update);
             PreparedStatement del = c.prepareStatement(delete);
             PreparedStatement ins = c.prepareStatement(upsert)) {
            for (int i = 0; i < options.maxOpsPerThread() && System.nanoTime() < deadline; i++) {
                long id = FIRST_ID + random.nextInt(options.rows());
                int dice = random.nextInt(100);
                String kind = dice < 60 ? "update" : dice < 80 ? "delete" : "insert";
                for (int attempt = 1; ; attempt++) {
                    try {
                        switch (kind) {
                            case "update" -> {
                                up.setString(1, node.node() + " update " + i);
                                up.setLong(2, id);
                                up.executeUpdate();
                            }
                            case "delete" -> {
                                del.setLong(1, id);
                                del.executeUpdate();
                            }
                            default -> {
                                ins.setLong(1, id);
                                ins.setString(2, "conflict-test");
                                ins.setString(3, node.node() + " insert " + i);
                                ins.executeUpdate();
                            }
                        }
                        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
                        break;
                    } catch (SQLException e) {
                        if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
                            retries.increment();
                            continue;
                        }
                        errors.increment();
                        if (firstErrors.size() < 10) {
                            firstErrors.add(node.node() + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
                        }
                        break;
                    }
                }
            }
        } catch (SQLException e) {
            errors.increment();
            firstErrors.add(node.node() + ": cannot connect: " + e.getMessage());
        }
    }
}
