package io.pgmesh.pool;

import static io.pgmesh.pool.FakeMesh.node;
import static io.pgmesh.pool.FakeMesh.nodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshPoolTest {

    private final FakeMesh mesh = new FakeMesh();
    private MeshPool pool;

    private static MeshPoolConfig config(List<NodeEndpoint> nodes, GroupSpec... groups) {
        return MeshPoolConfig.of("pgmesh-test", nodes,
                Map.of(GroupRole.WRITER, new Login("w", "wpw"), GroupRole.READER, new Login("r", "rpw")),
                List.of(groups));
    }

    private MeshPool open(List<NodeEndpoint> nodes, GroupSpec... groups) {
        pool = new MeshPool(config(nodes, groups), mesh, mesh.nanos::get);
        return pool;
    }

    private MeshPool openDefault() {
        return open(nodes(3), new GroupSpec("w", GroupRole.WRITER, 20, true),
                new GroupSpec("r", GroupRole.READER, 6, false));
    }

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private String borrowNode(String group) throws SQLException {
        try (Lease lease = pool.borrow(group)) {
            return lease.node().name();
        }
    }

    @Test
    void roundRobinIsEvenOverThreeNodesPerGroup() throws SQLException {
        openDefault();
        for (int i = 0; i < 300; i++) {
            borrowNode("w");
        }
        for (int i = 0; i < 30; i++) {
            borrowNode("r");
        }
        assertThat(pool.servedCounts().get("w")).containsExactlyInAnyOrderEntriesOf(
                Map.of("n1", 100L, "n2", 100L, "n3", 100L));
        assertThat(pool.servedCounts().get("r")).containsExactlyInAnyOrderEntriesOf(
                Map.of("n1", 10L, "n2", 10L, "n3", 10L));
        assertThat(mesh.pool("w", "n2").handedOut).hasValue(100);
        assertThat(mesh.pool("r", "n2").handedOut).hasValue(10);
    }

    @Test
    void groupsHaveIndependentRoundRobinCounters() throws SQLException {
        openDefault();
        assertThat(borrowNode("r")).isEqualTo("n1");
        assertThat(borrowNode("r")).isEqualTo("n2");
        List<String> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            writers.add(borrowNode("w"));
        }
        assertThat(writers).containsExactly("n1", "n2", "n3", "n1");
        assertThat(borrowNode("r")).isEqualTo("n3");
    }

    @Test
    void leaseGivesConnectionAndNodeAndCloseGivesItBackOnce() throws SQLException {
        openDefault();
        Lease lease = pool.borrow("w");
        Connection c = lease.connection();
        assertThat(lease.node()).isEqualTo(node("n1", 55001));
        assertThat(lease.group()).isEqualTo("w");
        lease.close();
        lease.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(lease.isClosed()).isTrue();
        assertThat(mesh.pool("w", "n1").returned).hasValue(1);
    }

    @Test
    void nodeFailingWithClass08IsSkippedMarkedDownAndRetriedAfterRetryTime() throws SQLException {
        openDefault();
        mesh.failNode("n2", "08001");
        assertThat(borrowNode("w")).isEqualTo("n1");
        assertThat(borrowNode("w")).isEqualTo("n3"); // n2 failed: next live node serves
        assertThat(pool.downNodes()).containsExactly("n2");
        assertThat(mesh.attempts("n2")).isEqualTo(1);

        for (int i = 0; i < 100; i++) {
            assertThat(borrowNode("w")).isNotEqualTo("n2");
            assertThat(borrowNode("r")).isNotEqualTo("n2"); // down for every group
        }
        assertThat(mesh.attempts("n2")).as("a down node is not tried before the retry time").isEqualTo(1);
        assertThat(pool.servedCounts().get("w")).as("round-robin stays even over the live nodes")
                .containsEntry("n1", 51L).containsEntry("n2", 0L).containsEntry("n3", 51L);

        mesh.healNode("n2");
        mesh.advanceMillis(1_999);
        for (int i = 0; i < 10; i++) {
            borrowNode("w");
        }
        assertThat(mesh.attempts("n2")).isEqualTo(1);
        assertThat(pool.downNodes()).containsExactly("n2");

        mesh.advanceMillis(1);
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            served.add(borrowNode("w"));
        }
        assertThat(served).contains("n2");
        assertThat(pool.downNodes()).isEmpty();
        long before = pool.servedCounts().get("w").get("n2");
        for (int i = 0; i < 30; i++) {
            borrowNode("w");
        }
        assertThat(pool.servedCounts().get("w").get("n2") - before).isEqualTo(10);
    }

    @Test
    void failedRetryKeepsNodeDownForAnotherPeriod() throws SQLException {
        openDefault();
        mesh.failNode("n2", "08006");
        borrowNode("w");
        borrowNode("w");
        assertThat(pool.downNodes()).containsExactly("n2");
        mesh.advanceMillis(2_000);
        for (int i = 0; i < 3; i++) {
            assertThat(borrowNode("w")).isNotEqualTo("n2");
        }
        assertThat(mesh.attempts("n2")).as("retried once after the retry time").isEqualTo(2);
        mesh.advanceMillis(1_000);
        for (int i = 0; i < 6; i++) {
            borrowNode("w");
        }
        assertThat(mesh.attempts("n2")).as("the retry restarted the down period").isEqualTo(2);
        assertThat(pool.downNodes()).containsExactly("n2");
    }

    @Test
    void hikariStyleTransientConnectionTimeoutMarksNodeDown() throws SQLException {
        openDefault();
        mesh.nodeBehaviour.put("n1", p -> {
            throw new java.sql.SQLTransientConnectionException(
                    "pgmesh-w-n1 - Connection is not available, request timed out after 3000ms.");
        });
        assertThat(borrowNode("w")).isEqualTo("n2");
        assertThat(pool.downNodes()).containsExactly("n1");
    }

    @Test
    void nonConnectionErrorOnBorrowTriesNextNodeWithoutMarkingDown() throws SQLException {
        openDefault();
        mesh.failNode("n1", "28P01");
        assertThat(borrowNode("w")).isEqualTo("n2");
        assertThat(pool.downNodes()).isEmpty();
    }

    @Test
    void allNodesDownGives08001NamingGroupAndEveryNodeWithItsError() throws SQLException {
        openDefault();
        mesh.failNode("n1", "08001");
        mesh.failNode("n2", "08006");
        mesh.failNode("n3", "57P03");
        SQLException e = catchThrowableOfType(SQLException.class, () -> pool.borrow("w"));
        assertThat(e.getSQLState()).isEqualTo("08001");
        assertThat(e.getMessage()).contains("group 'w'")
                .contains("n1 (127.0.0.1:55001): [08001] connection to n1 refused")
                .contains("n2 (127.0.0.1:55002): [08006] connection to n2 refused")
                .contains("n3 (127.0.0.1:55003): [57P03] connection to n3 refused");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(e.getSuppressed()).hasSize(2);
        assertThat(pool.downNodes()).containsExactly("n1", "n2", "n3");

        // while all are down and none is due for a retry: fail fast, still naming every node
        SQLException again = catchThrowableOfType(SQLException.class, () -> pool.borrow("r"));
        assertThat(again.getSQLState()).isEqualTo("08001");
        assertThat(again.getMessage()).contains("group 'r'").contains("n1 (").contains("n2 (").contains("n3 (")
                .contains("down, skipped");
        assertThat(mesh.attempts("n1") + mesh.attempts("n2") + mesh.attempts("n3")).isEqualTo(3);

        mesh.healNode("n3");
        mesh.advanceMillis(2_000);
        assertThat(pool.inGroupServed("w", c -> 1).node()).isEqualTo("n3");
        assertThat(pool.downNodes()).containsExactly("n1", "n2");
    }

    @Test
    void halfOpenNodeIsProbedByOneBorrowerAtATime() throws Exception {
        open(nodes(2), new GroupSpec("w", GroupRole.WRITER, 4, true));
        mesh.failNode("n2", "08001");
        assertThat(borrowNode("w")).isEqualTo("n1"); // ticket 0
        assertThat(borrowNode("w")).isEqualTo("n1"); // ticket 1: n2 fails, n1 serves
        assertThat(borrowNode("w")).isEqualTo("n1"); // ticket 2: only n1 live
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        mesh.nodeBehaviour.put("n2", p -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        mesh.advanceMillis(2_000);
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try {
            Future<String> prober = exec.submit(() -> borrowNode("w")); // ticket 3 -> n2, blocks
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(borrowNode("w")).isEqualTo("n1"); // ticket 4 -> n1
            assertThat(borrowNode("w")).isEqualTo("n1"); // ticket 5 -> n2 is being probed: skipped
            assertThat(mesh.attempts("n2")).isEqualTo(2);
            release.countDown();
            assertThat(prober.get(10, TimeUnit.SECONDS)).isEqualTo("n2");
            assertThat(pool.downNodes()).isEmpty();
        } finally {
            release.countDown();
            exec.shutdownNow();
        }
    }

    @Test
    void failedWithAdminShutdownEvictsAndMarksNodeDown() throws SQLException {
        openDefault();
        Lease lease = pool.borrow("w");
        assertThat(lease.failed(new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        lease.close();
        assertThat(mesh.pool("w", "n1").evicted).containsExactly(lease.connection());
        assertThat(pool.downNodes()).containsExactly("n1");
    }

    @Test
    void failedWithCrashOrClass08MarksDown() throws SQLException {
        openDefault();
        try (Lease a = pool.borrow("w"); Lease b = pool.borrow("w")) {
            assertThat(a.failed(new SQLException("crash", "57P02"))).isTrue();
            assertThat(b.failed(new SQLException("wrapped", "XX000",
                    new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        }
        assertThat(pool.downNodes()).containsExactly("n1", "n2");
    }

    @Test
    void failedWithUniqueViolationNeitherEvictsNorMarksDown() throws SQLException {
        openDefault();
        try (Lease lease = pool.borrow("w")) {
            assertThat(lease.failed(new SQLException("duplicate key value violates unique constraint", "23505")))
                    .isFalse();
            assertThat(lease.failed(new SQLException("could not serialize access", "40001"))).isFalse();
        }
        assertThat(mesh.pool("w", "n1").evicted).isEmpty();
        assertThat(pool.downNodes()).isEmpty();
    }

    @Test
    void markBrokenEvictsWithoutMarkingDown() throws SQLException {
        openDefault();
        try (Lease lease = pool.borrow("w")) {
            lease.markBroken();
            lease.markBroken();
            assertThat(mesh.pool("w", "n1").evicted).containsExactly(lease.connection());
        }
        assertThat(pool.downNodes()).isEmpty();
    }

    @Test
    void inGroupRunsWorkReportsConnectionFailuresAndRethrowsWithoutRetry() throws SQLException {
        openDefault();
        Served<String> served = pool.inGroupServed("w", c -> "ok:" + c.getAutoCommit());
        assertThat(served).isEqualTo(new Served<>("ok:true", "n1"));
        assertThat(pool.<Boolean>inGroup("r", Connection::getAutoCommit)).isFalse();

        SQLException unique = new SQLException("duplicate key", "23505");
        int[] runs = {0};
        assertThatThrownBy(() -> pool.inGroup("w", c -> {
            runs[0]++;
            throw unique;
        })).isSameAs(unique);
        assertThat(pool.downNodes()).isEmpty();

        SQLException shutdown = new SQLException("terminating connection", "57P01");
        assertThatThrownBy(() -> pool.inGroup("w", c -> {
            runs[0]++;
            throw shutdown;
        })).isSameAs(shutdown);
        assertThat(runs[0]).as("work is never retried").isEqualTo(2);
        assertThat(pool.downNodes()).containsExactly("n3");
        assertThat(mesh.pool("w", "n3").evicted).hasSize(1);
        assertThat(mesh.pool("w", "n3").returned).as("connection given back after failure").hasValue(1);
        assertThat(mesh.pool("w", "n2").returned).hasValue(1);
    }

    @Test
    void splitSpreadsConnectionsEvenlyAtLeastOnePerNode() {
        assertThat(MeshPool.split(20, 3)).containsExactly(7, 7, 6);
        assertThat(MeshPool.split(1, 3)).containsExactly(1, 1, 1);
        assertThat(MeshPool.split(10, 1)).containsExactly(10);
        assertThat(MeshPool.split(48, 4)).containsExactly(12, 12, 12, 12);
        assertThat(MeshPool.split(5, 3)).containsExactly(2, 2, 1);
        assertThatThrownBy(() -> MeshPool.split(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void poolsAreCreatedWithTheirShareAndRoleLogin() {
        open(nodes(3), new GroupSpec("w", GroupRole.WRITER, 20, true), new GroupSpec("one", GroupRole.READER, 1, true));
        assertThat(mesh.created).hasSize(6);
        assertThat(List.of(mesh.pool("w", "n1").max, mesh.pool("w", "n2").max, mesh.pool("w", "n3").max))
                .containsExactly(7, 7, 6);
        assertThat(List.of(mesh.pool("one", "n1").max, mesh.pool("one", "n2").max, mesh.pool("one", "n3").max))
                .containsExactly(1, 1, 1);
        assertThat(mesh.pool("w", "n1").login.user()).isEqualTo("w");
        assertThat(mesh.pool("one", "n1").login.user()).isEqualTo("r");
        assertThat(pool.poolSizes()).isEqualTo(Map.of(
                "w", Map.of("n1", 7, "n2", 7, "n3", 6), "one", Map.of("n1", 1, "n2", 1, "n3", 1)));
    }

    @Test
    void updateNodesAddsAndRemovesPoolsAndResplits() throws SQLException {
        open(nodes(3), new GroupSpec("w", GroupRole.WRITER, 20, true));
        for (int i = 0; i < 3; i++) {
            borrowNode("w");
        }
        FakeMesh.FakePool n1 = mesh.pool("w", "n1");
        FakeMesh.FakePool n2 = mesh.pool("w", "n2");
        FakeMesh.FakePool n3 = mesh.pool("w", "n3");

        pool.updateNodes(List.of(node("n1", 55001), node("n3", 55003), node("n4", 55004)));
        assertThat(n2.closed).isTrue();
        assertThat(n1.closed).isFalse();
        assertThat(n1.resizes).as("n1 keeps 7").isEmpty();
        assertThat(n3.resizes).as("n3 moves to the 2nd position: 6 -> 7").containsExactly(7);
        assertThat(mesh.pool("w", "n4").max).isEqualTo(6);
        assertThat(pool.poolSizes().get("w")).containsExactly(
                Map.entry("n1", 7), Map.entry("n3", 7), Map.entry("n4", 6));
        assertThat(pool.nodes()).extracting(NodeEndpoint::name).containsExactly("n1", "n3", "n4");

        for (int i = 0; i < 30; i++) {
            assertThat(borrowNode("w")).isNotEqualTo("n2");
        }
        Map<String, Long> counts = pool.servedCounts().get("w");
        assertThat(counts.get("n4")).isEqualTo(10);
        assertThat(counts.get("n2")).as("removed nodes keep their count").isEqualTo(1);

        FakeMesh.FakePool n4 = mesh.pool("w", "n4");
        pool.updateNodes(List.of(node("n1", 55001)));
        assertThat(n1.resizes).containsExactly(20);
        assertThat(n3.closed).isTrue();
        assertThat(n4.closed).isTrue();
        assertThat(mesh.created).filteredOn(p -> !p.closed.get()).containsExactly(n1);
    }

    @Test
    void updateNodesReplacesANodeWhoseAddressChangedAndForgetsItsDownState() throws SQLException {
        open(nodes(2), new GroupSpec("w", GroupRole.WRITER, 4, true));
        mesh.failNode("n2", "08001");
        borrowNode("w");
        borrowNode("w");
        assertThat(pool.downNodes()).containsExactly("n2");
        FakeMesh.FakePool old = mesh.pool("w", "n2");
        mesh.healNode("n2");
        pool.updateNodes(List.of(node("n1", 55001), node("n2", 56002)));
        assertThat(old.closed).isTrue();
        assertThat(mesh.pool("w", "n2").node.port()).isEqualTo(56002);
        assertThat(pool.downNodes()).isEmpty();
        assertThat(List.of(borrowNode("w"), borrowNode("w"))).contains("n2");
    }

    @Test
    void updateNodesRejectsBadListsAndKeepsTheOldTopologyWhenAPoolCannotBeCreated() {
        openDefault();
        assertThatThrownBy(() -> pool.updateNodes(List.of())).hasMessageContaining("at least one node");
        assertThatThrownBy(() -> pool.updateNodes(List.of(node("n1", 1), node("n1", 2))))
                .hasMessageContaining("duplicate node name 'n1'");
        MeshPool failing = new MeshPool(config(nodes(1), new GroupSpec("w", GroupRole.WRITER, 2, true)),
                (n, g, l, max) -> {
                    if (n.name().equals("bad")) {
                        throw new IllegalStateException("cannot create");
                    }
                    return mesh.create(n, g, l, max);
                }, mesh.nanos::get);
        try {
            assertThatThrownBy(() -> failing.updateNodes(List.of(node("n1", 55001), node("bad", 1))))
                    .hasMessage("cannot create");
            assertThat(failing.nodes()).extracting(NodeEndpoint::name).containsExactly("n1");
            assertThat(failing.poolSizes().get("w")).containsExactly(Map.entry("n1", 2));
        } finally {
            failing.close();
        }
    }

    @Test
    void unknownGroupNamesItAndListsTheGroups() {
        openDefault();
        assertThatThrownBy(() -> pool.borrow("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown group 'nope'; groups: [w, r]");
        assertThatThrownBy(() -> pool.inGroup("nope", c -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
    }

    @Test
    void closeClosesEveryPoolOnceAndBorrowAfterwardsFails() {
        openDefault();
        pool.close();
        pool.close();
        assertThat(mesh.created).hasSize(6).allSatisfy(p -> assertThat(p.closeCalls).hasValue(1));
        assertThat(pool.isClosed()).isTrue();
        assertThatThrownBy(() -> pool.borrow("w")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.updateNodes(nodes(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentBorrowsAreAllCountedExactly() throws Exception {
        open(nodes(3), new GroupSpec("w", GroupRole.WRITER, 20, true));
        ExecutorService exec = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                futures.add(exec.submit(() -> {
                    start.await();
                    int done = 0;
                    for (int i = 0; i < 500; i++) {
                        try (Lease lease = pool.borrow("w")) {
                            lease.connection();
                            done++;
                        }
                    }
                    return done;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(30, TimeUnit.SECONDS); // rethrows any exception of a worker
            }
            assertThat(total).isEqualTo(4000);
        } finally {
            exec.shutdownNow();
        }
        Map<String, Long> counts = pool.servedCounts().get("w");
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4000);
        // 4000 distinct tickets over 3 live nodes
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1334L, "n2", 1333L, "n3", 1333L));
        int returned = mesh.created.stream().mapToInt(p -> p.returned.get()).sum();
        assertThat(returned).isEqualTo(4000);
    }

    @Test
    void servedCountsListEveryGroupAndNodeStartingAtZero() throws SQLException {
        openDefault();
        assertThat(pool.servedCounts()).containsOnlyKeys("w", "r");
        assertThat(pool.servedCounts().get("r")).containsExactly(
                Map.entry("n1", 0L), Map.entry("n2", 0L), Map.entry("n3", 0L));
        borrowNode("r");
        assertThat(pool.servedCounts().get("r").get("n1")).isEqualTo(1);
        assertThat(pool.servedCounts().get("w").get("n1")).isZero();
    }

    @Test
    void downNodeRetryAfterComesFromTheConfig() throws SQLException {
        MeshPoolConfig cfg = config(nodes(2), new GroupSpec("w", GroupRole.WRITER, 2, true))
                .withDownNodeRetryAfter(Duration.ofMillis(500));
        pool = new MeshPool(cfg, mesh, mesh.nanos::get);
        mesh.failNode("n1", "08001");
        borrowNode("w");
        mesh.healNode("n1");
        mesh.advanceMillis(499);
        borrowNode("w");
        borrowNode("w");
        assertThat(pool.downNodes()).containsExactly("n1");
        mesh.advanceMillis(1);
        borrowNode("w");
        borrowNode("w");
        assertThat(pool.downNodes()).isEmpty();
    }
}
