package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.cluster.NodeLeave;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.pool.GroupRole;
import io.pgmesh.pool.GroupSpec;
import io.pgmesh.pool.Lease;
import io.pgmesh.pool.Login;
import io.pgmesh.pool.MeshPool;
import io.pgmesh.pool.MeshPoolConfig;
import io.pgmesh.pool.NodeEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The definitive scale test: 2 nodes; a writer inserts and updates rows on every live node and
 * records every acknowledged id; while it runs, a 3rd and a 4th node join one at a time (the 4th
 * through the CLI), then one of the first two is removed; then every remaining node holds every
 * acknowledged row, the nodes are identical, and no slot or subscription refers to the removed node.
 */
class ScaleIT {

    private static TestCluster cluster;

    @BeforeAll
    static void bringUp() {
        cluster = TestCluster.start("pgmesh-itsc", 96, 2);
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodesJoinAndLeaveWhileWritesGoOnAndNothingIsLost() throws Exception {
        seedRows(2_000);
        try (Writer writer = new Writer()) {
            writer.useNodes(running());
            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged.size() > 100);

            // as 'pgmesh add-node' does: join, then repair what the join window reordered
            NodeJoin.Joined joined = new NodeJoin(cluster.ctx).addNode(TestClusters::ensureImage);
            assertThat(joined.changedSince()).as("the join's start, per member").containsOnlyKeys(0, 1);
            new ClusterRepair(cluster.ctx).afterJoin(joined, Duration.ofMinutes(2));
            NodeContainer third = joined.node();
            assertThat(third.node()).isEqualTo("node2");
            writer.useNodes(running());
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.servedBy.containsKey("node2"));

            CliRun add = cluster.pgmesh("add-node");
            assertThat(add.exitCode()).as(add.out() + add.err()).isZero();
            assertThat(add.out()).contains("[add-node] node3 joined");
            writer.useNodes(running());
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.servedBy.containsKey("node3"));

            // the writer stops using node0 before it leaves: nothing of it is in flight
            writer.useNodes(running().stream().filter(n -> !n.name().equals("node0")).toList());
            new NodeLeave(cluster.ctx).removeNode("node0");
            int before = writer.acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged.size() > before + 50);
            writer.stop();
            assertThat(writer.errors.get()).as("writer errors: " + writer.firstError.get()).isZero();
        }

        List<NodeContainer> remaining = cluster.ctx.runtime().list(cluster.name);
        assertThat(remaining).extracting(NodeContainer::node).containsExactly("node1", "node2", "node3");
        // The writer updates rows on one node that another node inserted a few ms earlier; a third
        // node can receive the update before the insert and skip it (docs/CONFLICTS.md, "Anti-entropy"). As
        // documented after heavy cross-node writing: repair, then the nodes must be identical.
        ClusterRepair.Result repair = new ClusterRepair(cluster.ctx).run(Duration.ofMinutes(2));
        assertThat(repair.after().identical()).as("identical after repair" + TestClusters.evidence(cluster.ctx, repair.after())).isTrue();
        ClusterCheck.Result check = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(120));
        assertThat(check.identical()).as("nodes identical" + TestClusters.evidence(cluster.ctx, check)).isTrue();
        for (NodeContainer node : remaining) {
            assertThat(TestClusters.missingOn(cluster.ctx, node, acknowledgedIds)).as("acknowledged rows missing on " + node.node()).isEmpty();
            String refs = TestClusters.psqlAsPostgres(node, cluster.config.database(),
                    "SELECT string_agg(x, ',') FROM (SELECT slot_name::text AS x FROM pg_replication_slots"
                            + " UNION ALL SELECT subname::text FROM pg_subscription) s WHERE x LIKE '%node0%'");
            assertThat(refs).as("slots or subscriptions referring to node0 on " + node.node()).isEmpty();
        }
        assertThat(new ClusterStatus(cluster.ctx).collect()).allSatisfy(r ->
                assertThat(r.health()).as(r.container().node() + " " + r.detail()).isEqualTo(NodeReport.HEALTHY));
        CliRun again = cluster.pgmesh("remove-node", "node0");
        assertThat(again.exitCode()).as("removing a removed node again finishes nothing left: " + again.err()).isZero();
    }

    private static final Set<Long> acknowledgedIds = ConcurrentHashMap.newKeySet();

    private static List<NodeEndpoint> running() {
        return cluster.ctx.runtime().list(cluster.name).stream().filter(NodeContainer::running)
                .map(n -> new NodeEndpoint(n.node(), "127.0.0.1", n.pgPort())).toList();
    }

    /** Rows written before anyone joins, so a join has existing data to copy. */
    private static void seedRows(int rows) throws SQLException {
        NodeContainer node0 = cluster.nodes.get(0);
        try (Connection c = TestClusters.connectAsWriter(cluster.ctx, node0);
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO table1 (col2) SELECT 'seed ' || g FROM generate_series(1, ?) g RETURNING id")) {
            insert.setInt(1, rows);
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    acknowledgedIds.add(rs.getLong(1));
                }
            }
        }
    }

    /** Inserts and updates through a pool over the nodes it is told; records every acknowledged insert. */
    private static final class Writer implements AutoCloseable {
        final Set<Long> acknowledged = acknowledgedIds;
        final Map<String, Boolean> servedBy = new ConcurrentHashMap<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        private final AtomicReference<List<NodeEndpoint>> nodes = new AtomicReference<>();
        private final AtomicInteger generation = new AtomicInteger();
        private final AtomicInteger generationInUse = new AtomicInteger(-1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private MeshPool pool;
        private Thread thread;

        /** Switches the writer to {@code endpoints} and returns once no operation uses the old set. */
        void useNodes(List<NodeEndpoint> endpoints) {
            nodes.set(endpoints);
            int wanted = generation.incrementAndGet();
            if (thread != null) {
                await().atMost(Duration.ofSeconds(30)).until(() -> generationInUse.get() >= wanted);
            }
        }

        void start() {
            ClusterSecrets secrets = ClusterSecrets.resolve(cluster.ctx.home(), cluster.name, Map.of(), false);
            Login login = new Login(cluster.config.roles().testWriter().id(), secrets.password(ClusterSecrets.WRITER));
            pool = MeshPool.open(MeshPoolConfig.of(cluster.config.database(), nodes.get(),
                    Map.of(GroupRole.WRITER, login), List.of(new GroupSpec("writer", GroupRole.WRITER, 4, true)))
                    .withServerCa(io.pgmesh.orchestrator.tls.ClusterPki.caFile(cluster.ctx.home(), cluster.name)));
            thread = new Thread(this::writeUntilStopped, "scale-it-writer");
            thread.start();
        }

        private void writeUntilStopped() {
            List<Long> mine = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (int i = 0; i < 1_000_000 && running.get() && System.nanoTime() < deadline; i++) {
                int gen = generation.get();
                if (generationInUse.get() != gen) {
                    pool.updateNodes(nodes.get());
                    generationInUse.set(gen);
                }
                try (Lease lease = pool.borrow("writer")) {
                    Connection c = lease.connection();
                    if (i % 4 == 3 && !mine.isEmpty()) {
                        try (PreparedStatement update = c.prepareStatement("UPDATE table1 SET col2 = ? WHERE id = ?")) {
                            update.setString(1, "updated " + i);
                            update.setLong(2, mine.get(ThreadLocalRandom.current().nextInt(mine.size())));
                            update.executeUpdate();
                        }
                    } else {
                        try (PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                            insert.setString(1, "writer " + i + " on " + lease.node().name());
                            try (ResultSet rs = insert.executeQuery()) {
                                rs.next();
                                long id = rs.getLong(1);
                                mine.add(id);
                                acknowledged.add(id);
                            }
                        }
                    }
                    servedBy.put(lease.node().name(), true);
                } catch (SQLException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage() + " (" + e.getSQLState() + ")");
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            if (pool != null) {
                pool.close();
            }
        }
    }
}
