package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.lab.Lab;
import io.pgmesh.orchestrator.lab.LabSettings;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.Runtimes;
import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * pgmesh on a Swarm of three Docker-in-Docker hosts ({@code pgmesh lab}), through the CLI as a user runs it: 6 nodes,
 * 2 per host; the suites through the pool; a host lost and back under a writer, with nothing lost and no pgmesh
 * command to heal it; add-node onto a chosen host and remove-node beside a writer; down leaving nothing in the
 * Swarm. The steps build on each other, in order, on one lab.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmIT {

    private static final String CLUSTER = "pgmesh-itsw";
    private static Lab lab;
    private static Path config;
    private static ClusterContext ctx;

    @BeforeAll
    static void labUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "swarm-lab")).toAbsolutePath();
        // a lab of its own, apart from a user's default lab and from LabIT's
        lab = new Lab(TestClusters.docker(), new LabSettings("pgmesh-lab-sw", dir, "172.29.12.0/24"),
                System.out::println);
        config = lab.up(3, TestClusters.SHIPPED_CONFIG).sysconfig();
        SysConfig sys = TestClusters.load(config);
        java.util.function.Consumer<String> log = System.out::println;
        ctx = new ClusterContext(CLUSTER, sys, Runtimes.open(sys, TestClusters.docker(), log), TestClusters.HOME, log);
    }

    @AfterAll
    static void labDown() {
        if (lab != null) {
            lab.down();
        }
    }

    private static CliRun pgmesh(String... args) {
        return CliRun.pgmesh(CLUSTER, config, args);
    }

    private static List<NodeContainer> nodes() {
        return ctx.runtime().list(CLUSTER);
    }

    @Test
    @Order(1)
    void sixNodesTwoPerHostAndARowWrittenOnEachReachesAll() throws Exception {
        CliRun up = pgmesh("up", "--nodes", "6");
        assertThat(up.exitCode()).as(up.err()).isZero();
        List<NodeContainer> nodes = nodes();
        assertThat(nodes).hasSize(6).allSatisfy(n -> assertThat(n.running()).as(n.node()).isTrue());
        Map<String, Long> perHost = nodes.stream().collect(Collectors.groupingBy(NodeContainer::host,
                Collectors.counting()));
        assertThat(perHost).isEqualTo(Map.of("h1", 2L, "h2", 2L, "h3", 2L));
        assertThat(nodes).allSatisfy(n -> assertThat(n.address()).as("peers by service name")
                .isEqualTo(CLUSTER + "-" + n.node()));

        CliRun status = pgmesh("status");
        assertThat(status.exitCode()).as(status.out()).isZero();
        assertThat(status.out()).contains("HOST").contains(" h1 ").contains(" h2 ").contains(" h3 ");

        for (NodeContainer n : nodes) {
            try (Connection c = TestClusters.connectAsWriter(ctx, n); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO table1 (col2) VALUES ('written on " + n.node() + "')");
            }
        }
        for (NodeContainer n : nodes) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                try (Connection c = TestClusters.connectAsReader(ctx, n); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM table1 WHERE col2 LIKE 'written on %'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("rows from every node on " + n.node()).isEqualTo(6);
                }
            });
        }
        CliRun credentials = pgmesh("credentials");
        assertThat(credentials.out()).as("JDBC URLs on each host's address")
                .contains("jdbc:postgresql://172.29.12.11:").contains("jdbc:postgresql://172.29.12.12:")
                .doesNotContain("127.0.0.1");
    }

    @Test
    @Order(2)
    void theSuitesThroughThePoolUseEveryNodeWithoutErrors() {
        CliRun all = pgmesh("test", "all", "--seconds", "5");
        assertThat(all.exitCode()).as(all.out() + all.err()).isZero();
        for (NodeContainer n : nodes()) {
            assertThat(all.out()).as("served by " + n.node()).contains(n.node());
        }
        CliRun check = pgmesh("check");
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).contains("identical on 6 nodes");
    }

    @Test
    @Order(3)
    void aHostLostUnderAWriterComesBackAndCatchesUpWithoutAnyPgmeshCommand() throws Exception {
        NodeContainer writerNode = nodes().stream().filter(n -> n.host().equals("h1")).findFirst().orElseThrow();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> onH2 = nodes().stream().filter(n -> n.host().equals("h2")).map(NodeContainer::node).toList();
        assertThat(onH2).hasSize(2);
        try (InsertWriter writer = new InsertWriter(ctx, writerNode, acknowledged)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() > 100);
            lab.stopHost("h2");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                CliRun status = pgmesh("status");
                assertThat(status.exitCode()).isEqualTo(1);
                for (String node : onH2) {
                    assertThat(status.out().lines().filter(l -> l.startsWith(node + " ")).findFirst().orElse(""))
                            .contains(" h2 ").contains("down").contains("host h2 down");
                }
            });
            int before = writer.count();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() > before + 100);
            CliRun suite = pgmesh("test", "insert", "--seconds", "5");
            assertThat(suite.exitCode()).as("the pool serves from the hosts left: " + suite.out()).isZero();

            lab.startHost("h2");
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
                CliRun status = pgmesh("status");
                assertThat(status.exitCode()).as(status.out()).isZero();
            });
            writer.stop();
            assertThat(writer.error()).isNull();
        }
        awaitIdentical();
        assertEveryRowEverywhere(acknowledged);
    }

    @Test
    @Order(4)
    void addNodeOntoAChosenHostAndRemoveNodeBesideAWriter() throws Exception {
        NodeContainer writerNode = nodes().get(0);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        try (InsertWriter writer = new InsertWriter(ctx, writerNode, acknowledged)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() > 100);
            CliRun wrongHost = pgmesh("add-node", "--host", "h7");
            assertThat(wrongHost.exitCode()).isEqualTo(2);
            assertThat(wrongHost.err()).contains("--host: the Swarm has no host 'h7' (hosts: h1, h2, h3)");

            CliRun add = pgmesh("add-node", "--host", "h3");
            assertThat(add.exitCode()).as(add.err()).isZero();
            NodeContainer added = nodes().stream().filter(n -> n.node().equals("node6")).findFirst().orElseThrow();
            assertThat(added.host()).isEqualTo("h3");
            assertThat(added.running()).isTrue();

            CliRun remove = pgmesh("remove-node", "node6");
            assertThat(remove.exitCode()).as(remove.err()).isZero();
            writer.stop();
            assertThat(writer.error()).isNull();
        }
        assertThat(nodes()).extracting(NodeContainer::node).doesNotContain("node6").hasSize(6);
        awaitIdentical();
        assertEveryRowEverywhere(acknowledged);
    }

    @Test
    @Order(5)
    void downWithItsDataDeletingFlagLeavesNothingOfTheClusterInTheSwarm() {
        CliRun down = pgmesh("down", "--delete-data");
        assertThat(down.exitCode()).as(down.err()).isZero();
        DockerClient manager = lab.client("h1");
        Map<String, String> label = Map.of(Labels.CLUSTER, CLUSTER);
        assertThat(manager.listServicesCmd().withLabelFilter(label).exec()).isEmpty();
        assertThat(manager.listSecretsCmd().withLabelFilter(label).exec()).isEmpty();
        assertThat(manager.listNetworksCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec()).isEmpty();
        for (String host : List.of("h1", "h2", "h3")) {
            assertThat(lab.client(host).listVolumesCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec()
                    .getVolumes()).as("data volumes on " + host).isNullOrEmpty();
        }
    }

    // ----

    private static void awaitIdentical() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            CliRun check = pgmesh("check");
            assertThat(check.exitCode()).as(check.out()).isZero();
        });
    }

    /** Every acknowledged id on every node (a set difference: 100,000s of ids). */
    private static void assertEveryRowEverywhere(Set<Long> acknowledged) throws Exception {
        assertThat(acknowledged).isNotEmpty();
        for (NodeContainer n : nodes()) {
            Set<Long> missing = new java.util.HashSet<>(acknowledged);
            missing.removeAll(ids(n));
            assertThat(missing).as("acknowledged rows missing on " + n.node()).isEmpty();
        }
    }

    private static Set<Long> ids(NodeContainer n) throws Exception {
        try (Connection c = TestClusters.connectAsReader(ctx, n);
             PreparedStatement s = c.prepareStatement("SELECT id FROM table1");
             ResultSet rs = s.executeQuery()) {
            Set<Long> ids = new java.util.HashSet<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }
}
