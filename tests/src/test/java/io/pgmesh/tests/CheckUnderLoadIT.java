package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code check} and {@code repair} beside a writer at full speed on every node (inserts and deletes on
 * one, updates of shared rows on the others): the check says identical when nothing is wrong, finds a row changed behind
 * replication's back on one node, and repair puts exactly that row right while the writers go on.
 * A check in a window (add-node's) compares only what changed since its start, including a delete.
 * No acknowledged insert is lost.
 */
class CheckUnderLoadIT {

    private static final int SEED = 3_000;
    /** Seeded rows the update writers leave alone: the ones a test changes behind replication's back. */
    private static final int UNTOUCHED = 100;

    @Test
    void checkIsRightUnderLoadAndRepairFixesOnlyWhatTrulyDiffers() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-itcl", 87, 3);
             Writers writers = new Writers(cluster)) {
            List<Long> seeded = seed(cluster, SEED);
            ClusterCheck.Result idle = timedCheck(cluster, "idle");
            assertThat(idle.identical()).as("idle" + TestClusters.evidence(cluster.ctx, idle)).isTrue();

            writers.start(seeded.subList(UNTOUCHED, seeded.size()));
            await().atMost(Duration.ofSeconds(60)).until(() -> writers.inserted.size() > 500 && writers.updates.get() > 200);
            int leftOut = 0;
            for (int round = 1; round <= 3; round++) {
                int insertsBefore = writers.inserted.size();
                long updatesBefore = writers.updates.get();
                ClusterCheck.Result loaded = timedCheck(cluster, "under load, round " + round);
                assertThat(loaded.identical()).as("round " + round + TestClusters.evidence(cluster.ctx, loaded)).isTrue();
                assertThat(writers.inserted.size()).as("inserts went on during the check").isGreaterThan(insertsBefore);
                assertThat(writers.updates.get()).as("updates went on during the check").isGreaterThan(updatesBefore);
                leftOut += loaded.tables().get(0).inFlight();
            }
            // the load put rows in flight at the comparisons: a check that compared them would have seen differences
            assertThat(leftOut).as("rows left out in flight over the three rounds").isPositive();
            CliRun cli = cluster.pgmesh("check", "--json");
            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
            com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.out());
            assertThat(doc.get("identical").asBoolean()).isTrue();
            assertThat(doc.get("horizons").fieldNames()).toIterable().containsExactly("node0", "node1", "node2");

            // behind replication's back on node1: a new version of one row and the deletion of another,
            // under a replication origin, so the peers never receive them
            long changed = seeded.get(10);
            long deleted = seeded.get(11);
            behindReplication(cluster, 1, "UPDATE table1 SET col2 = 'changed behind replication' WHERE id = " + changed
                    + "; DELETE FROM table1 WHERE id = " + deleted);
            ClusterCheck.Result found = timedCheck(cluster, "under load, with the change behind replication's back");
            assertThat(found.identical()).isFalse();
            assertThat(differingIds(found)).as("only the rows changed behind replication's back"
                    + TestClusters.evidence(cluster.ctx, found)).containsExactly(changed, deleted);
            assertThat(found.tables().get(0).differences().get("node1"))
                    .containsExactlyInAnyOrder(new Divergence.RowDifference(changed, Divergence.Kind.DIFFERENT),
                            new Divergence.RowDifference(deleted, Divergence.Kind.MISSING));

            long repairStart = System.nanoTime();
            ClusterRepair.Result repair = new ClusterRepair(cluster.ctx).run(Duration.ofSeconds(60));
            System.out.printf("[CheckUnderLoadIT] repair under load: %d ms, %d rows examined, %d versions applied%n",
                    (System.nanoTime() - repairStart) / 1_000_000, repair.rowsExamined(), repair.rowsRepaired());
            assertThat(repair.rowsExamined()).isEqualTo(2);
            assertThat(repair.rowsRepaired()).as("both rows on node0 and node2").isEqualTo(4);
            assertThat(repair.after().identical()).as("after repair" + TestClusters.evidence(cluster.ctx, repair.after()))
                    .isTrue();
            for (NodeContainer node : cluster.nodes) {
                // the newer version wins, and the delete removes the row it deleted
                assertThat(TestClusters.psqlAsPostgres(node, cluster.config.database(),
                        "SELECT coalesce(string_agg(id || '=' || col2, ','), '') FROM table1 WHERE id IN ("
                                + changed + ", " + deleted + ")"))
                        .as("on " + node.node()).isEqualTo(changed + "=changed behind replication");
            }

            // a window (add-node's repair compares what changed since the join began): a row changed behind
            // replication's back before the window is not compared; one changed and one deleted in it are
            long before = seeded.get(20);
            long inWindow = seeded.get(21);
            long deletedInWindow = seeded.get(22);
            behindReplication(cluster, 2, "UPDATE table1 SET col2 = 'before the window' WHERE id = " + before);
            Map<Integer, String> windowStart = new HashMap<>();
            new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60)).horizons()
                    .forEach(h -> windowStart.put(h.nodeIndex(), h.horizon()));
            behindReplication(cluster, 2, "UPDATE table1 SET col2 = 'in the window' WHERE id = " + inWindow
                    + "; DELETE FROM table1 WHERE id = " + deletedInWindow);
            assertThat(differingIds(new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60), windowStart)))
                    .containsExactly(inWindow, deletedInWindow);
            assertThat(differingIds(new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60))))
                    .containsExactly(before, inWindow, deletedInWindow);
            assertThat(new ClusterRepair(cluster.ctx).run(Duration.ofSeconds(60)).after().identical()).isTrue();

            writers.stop();
            assertThat(writers.errors.get()).as("writer errors: " + writers.firstError.get()).isZero();
            ClusterCheck.Result quiet = timedCheck(cluster, "after the writers stopped");
            assertThat(quiet.identical()).as("quiet" + TestClusters.evidence(cluster.ctx, quiet)).isTrue();
            assertThat(quiet.tables().get(0).inFlight()).as("nothing in flight once the writers stopped").isZero();
            Set<Long> kept = new HashSet<>(writers.inserted);
            kept.removeAll(writers.deletedIds);
            for (NodeContainer node : cluster.nodes) {
                assertThat(TestClusters.missingOn(cluster.ctx, node, kept)).as("acknowledged inserts missing on " + node.node()).isEmpty();
            }
        }
    }

    /** Runs SQL on one node as a local write under a replication origin: the peers never receive it. */
    private static void behindReplication(TestCluster cluster, int node, String sql) {
        TestClusters.psqlAsPostgres(cluster.nodes.get(node), cluster.config.database(),
                "SELECT pg_replication_origin_create('pgmesh_it_tamper') WHERE pg_replication_origin_oid('pgmesh_it_tamper')"
                        + " IS NULL; SELECT pg_replication_origin_session_setup('pgmesh_it_tamper'); " + sql);
    }

    private static Set<Long> differingIds(ClusterCheck.Result result) {
        return result.tables().get(0).differences().values().stream().flatMap(List::stream)
                .map(Divergence.RowDifference::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static ClusterCheck.Result timedCheck(TestCluster cluster, String what) {
        long start = System.nanoTime();
        ClusterCheck.Result r = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60));
        System.out.printf("[CheckUnderLoadIT] check %s: %d ms (drain %d ms), identical %s, %d rows left out in flight%n",
                what, (System.nanoTime() - start) / 1_000_000, r.drainTime().toMillis(), r.identical(),
                r.tables().get(0).inFlight());
        return r;
    }

    private static List<Long> seed(TestCluster cluster, int rows) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = TestClusters.connectAsWriter(cluster.ctx, cluster.nodes.get(0));
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO table1 (col2) SELECT 'seed ' || g FROM generate_series(1, ?) g RETURNING id")) {
            insert.setInt(1, rows);
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        ids.sort(Long::compare);
        return ids;
    }

    /**
     * Per node, one thread inserting (every tenth operation deletes one of its own earlier inserts) and one
     * updating random shared rows, each on its own connection, as fast as they can; bounded by a deadline
     * and a count.
     */
    private static final class Writers implements AutoCloseable {
        final Set<Long> inserted = ConcurrentHashMap.newKeySet();
        final Set<Long> deletedIds = ConcurrentHashMap.newKeySet();
        final AtomicLong updates = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final TestCluster cluster;

        Writers(TestCluster cluster) {
            this.cluster = cluster;
        }

        /**
         * One writer at full speed per node: inserts (and some deletes) on the first, updates of the shared
         * rows on the others, so two origins update the same rows at once. One connection per node, not two:
         * with two on every node, the 3 nodes' apply workers on 2 cores fell behind the writers for good, and
         * a check can only say "replication did not drain" then (seen once in this IT).
         */
        void start(List<Long> shared) {
            for (NodeContainer node : cluster.nodes) {
                threads.add(node == cluster.nodes.get(0) ? thread(node, "inserts", c -> insertOrDelete(c))
                        : thread(node, "updates", c -> update(c, shared)));
            }
            threads.forEach(Thread::start);
        }

        private interface Operation {
            void run(Connection c) throws SQLException;
        }

        private Thread thread(NodeContainer node, String kind, Operation op) {
            return new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                try (Connection c = TestClusters.connectAsWriter(cluster.ctx, node)) {
                    for (int i = 0; i < 2_000_000 && running.get() && System.nanoTime() < deadline; i++) {
                        try {
                            op.run(c);
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, node.node() + " " + kind + ": " + e.getMessage());
                        }
                    }
                } catch (SQLException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, node.node() + " " + kind + " could not connect: " + e.getMessage());
                }
            }, "check-under-load-" + node.node() + "-" + kind);
        }

        private final ThreadLocal<List<Long>> mine = ThreadLocal.withInitial(ArrayList::new);
        private final ThreadLocal<Integer> count = ThreadLocal.withInitial(() -> 0);

        private void insertOrDelete(Connection c) throws SQLException {
            int n = count.get() + 1;
            count.set(n);
            List<Long> own = mine.get();
            if (n % 10 == 0 && !own.isEmpty()) {
                long id = own.remove(ThreadLocalRandom.current().nextInt(own.size()));
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM table1 WHERE id = ?")) {
                    delete.setLong(1, id);
                    delete.executeUpdate();
                }
                deletedIds.add(id);
                return;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                insert.setString(1, "load " + n);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    long id = rs.getLong(1);
                    own.add(id);
                    inserted.add(id);
                }
            }
        }

        private void update(Connection c, List<Long> shared) throws SQLException {
            try (PreparedStatement update = c.prepareStatement("UPDATE table1 SET col2 = ? WHERE id = ?")) {
                update.setString(1, "updated " + ThreadLocalRandom.current().nextInt());
                update.setLong(2, shared.get(ThreadLocalRandom.current().nextInt(shared.size())));
                update.executeUpdate();
            }
            updates.incrementAndGet();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30).toMillis());
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
