package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.MeshNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One scenario end to end with the real orchestrator code: a 3-node mesh comes up, a row
 * written on every node reaches every node, a second 'up' changes nothing, 'down' leaves nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshIT {

    private static final String CLUSTER = "pgmesh-it3";
    private static SysConfig config;
    private static ClusterContext ctx;
    private static final List<String> log = TestClusters.newLog();
    private static List<NodeContainer> nodes;

    @BeforeAll
    static void bringUp() {
        config = TestClusters.load(TestClusters.configOnSubnet(91));
        TestClusters.removeLeftovers(CLUSTER, config);
        ctx = TestClusters.context(CLUSTER, config, log);
        nodes = new ClusterUp(ctx, TestClusters::ensureImage).run(3);
    }

    @AfterAll
    static void tearDown() {
        if (ctx != null) {
            new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
        }
    }

    @Test
    @Order(1)
    void nodesRunWithStaticAddressesAndLoopbackPorts() {
        assertThat(nodes).extracting(NodeContainer::node).containsExactly("node0", "node1", "node2");
        for (int i = 0; i < 3; i++) {
            assertThat(nodes.get(i).address()).isEqualTo(config.nodeAddress(i).toString());
            assertThat(nodes.get(i).pgPort()).isPositive();
            assertThat(nodes.get(i).rpcPort()).isPositive();
        }
        var bindings = TestClusters.docker().inspectContainerCmd(nodes.get(0).containerId()).exec()
                .getNetworkSettings().getPorts().getBindings();
        bindings.values().forEach(b -> assertThat(b[0].getHostIp()).isEqualTo("127.0.0.1"));
    }

    @Test
    @Order(2)
    void everySubscriptionStreams() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<NodeReport> reports = new ClusterStatus(ctx).collect();
            assertThat(reports).hasSize(3);
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.health()).as(r.container().node() + " " + r.detail()).isEqualTo(NodeReport.HEALTHY);
                assertThat(r.status().subscriptions()).hasSize(2);
                assertThat(r.status().publications()).extracting(p -> p.name())
                        .containsExactly(MeshNames.publication(r.container().node(), "table1"));
            });
        });
    }

    @Test
    @Order(3)
    void rowsWrittenOnEveryNodeReachEveryNode() throws SQLException {
        Map<Long, String> written = new TreeMap<>();
        for (NodeContainer node : nodes) {
            try (Connection c = TestClusters.connectAsWriter(ctx, node);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                insert.setString(1, "written on " + node.node());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    long id = rs.getLong(1);
                    assertThat(id).as("key range of " + node.node())
                            .isBetween(MeshNames.firstKey(node.index()), MeshNames.lastKey(node.index()));
                    written.put(id, "written on " + node.node());
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (NodeContainer node : nodes) {
                assertThat(rows(node)).as("rows on " + node.node()).isEqualTo(written);
            }
        });
    }

    @Test
    @Order(4)
    void defaultsAndTimestampsApplyOnEveryNode() throws SQLException {
        for (NodeContainer node : nodes) {
            try (Connection c = TestClusters.connectAsReader(ctx, node);
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FILTER (WHERE col1 = 'default-value' AND created_ts IS NOT NULL"
                                 + " AND modified_ts IS NOT NULL), count(*) FROM table1")) {
                rs.next();
                assertThat(rs.getLong(1)).as(node.node()).isEqualTo(rs.getLong(2)).isEqualTo(3);
            }
        }
    }

    @Test
    @Order(5)
    void readerCannotWrite() throws SQLException {
        try (Connection c = TestClusters.connectAsReader(ctx, nodes.get(0))) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> c.createStatement().execute("INSERT INTO table1 (col2) VALUES ('nope')"));
            assertThat(e.getSQLState()).isEqualTo("42501");
        }
    }

    @Test
    @Order(6)
    void secondUpChangesNothing() {
        List<String> again = TestClusters.newLog();
        new ClusterUp(TestClusters.context(CLUSTER, config, again), TestClusters::ensureImage).run(3);
        List<String> rpcSteps = again.stream().filter(l -> l.matches("\\[node\\d] (updateNetworkTopology|initDatabase|"
                + "createReplicaTable|subscribing).*")).toList();
        assertThat(rpcSteps).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(": already in place"));
        assertThat(again).noneMatch(l -> l.contains("starting container"));
    }

    @Test
    @Order(7)
    void upWithAnotherNodeCountIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new ClusterUp(TestClusters.context(CLUSTER, config, TestClusters.newLog()),
                        TestClusters::ensureImage).run(4));
        assertThat(e.getMessage()).contains("was created with 3 nodes");
    }

    @Test
    @Order(8)
    void downLeavesNothingOfTheCluster() {
        new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
        var docker = TestClusters.docker();
        assertThat(docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, CLUSTER)).exec()).isEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec()).isEmpty();
        assertThat(ClusterSecrets.fileFor(ctx.home(), CLUSTER)).doesNotExist();
        // a second down is not an error
        new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
    }

    private static Map<Long, String> rows(NodeContainer node) throws SQLException {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = TestClusters.connectAsReader(ctx, node);
             ResultSet rs = c.createStatement().executeQuery("SELECT id, col2 FROM table1")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }
}
