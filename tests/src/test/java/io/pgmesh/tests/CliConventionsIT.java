package io.pgmesh.tests;

import io.pgmesh.orchestrator.cli.PgMesh;
import io.pgmesh.orchestrator.docker.ContainerLogs;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CLI's conventions for people and scripts, against a real 2-node cluster: {@code status --json} and
 * {@code check --json} print only a JSON document on stdout, {@code status --matrix} the lag matrix, and
 * {@code logs} a node container's log (a tail, all of it, or followed until the container stops).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliConventionsIT {

    private static final String CLUSTER = "pgmesh-itcl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;

    @BeforeAll
    static void up() {
        cluster = TestCluster.start(CLUSTER, 89, 2);
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void statusJsonIsOneDocumentWithTwoHealthyNodesAndTheirSubscriptions() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            CliRun run = cluster.pgmesh("status", "--json");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            JsonNode doc = JSON.readTree(run.out()); // all of stdout: nothing else may be there
            assertThat(doc.get("cluster").asText()).isEqualTo(CLUSTER);
            assertThat(doc.get("healthy").asBoolean()).isTrue();
            assertThat(doc.get("nodes")).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode node = doc.get("nodes").get(i);
                assertThat(node.get("node").asText()).isEqualTo("node" + i);
                assertThat(node.get("container").asText()).isEqualTo(CLUSTER + "-node" + i);
                assertThat(node.get("health").asText()).isEqualTo("healthy");
                assertThat(node.get("pgPort").asInt()).isPositive();
                assertThat(node.get("rows").isNumber()).as(node.toString()).isTrue();
                assertThat(node.get("rowsExact").asBoolean()).isTrue();
                assertThat(node.get("rowsPerTable").fieldNames()).toIterable().containsExactly("table1");
                JsonNode subs = node.get("subscriptions");
                assertThat(subs).hasSize(1);
                assertThat(subs.get(0).get("peer").asText()).isEqualTo("node" + (1 - i));
                assertThat(subs.get(0).get("state").asText()).isEqualTo("streaming");
                assertThat(subs.get(0).get("lagBytes").isNumber()).as(subs.toString()).isTrue();
            }
        });
    }

    @Test
    @Order(2)
    void statusTableAndMatrixShowTheLagBetweenTheNodes() {
        CliRun table = cluster.pgmesh("status");
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("NODE").contains("HEALTH", "CONFLICTS", "ROWS", "LAG BEHIND EACH PEER");
        assertThat(lines.get(1)).startsWith("node0").contains(" healthy ").containsPattern("node1 \\d+(\\.\\d)? (B|KiB|MiB)");
        assertThat(lines.get(2)).startsWith("node1").contains(" healthy ").containsPattern("node0 \\d+(\\.\\d)? (B|KiB|MiB)");

        CliRun run = cluster.pgmesh("status", "--matrix");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> matrix = run.out().lines().toList();
        assertThat(matrix).hasSize(4);
        assertThat(matrix.get(1).split("\\s{2,}")).containsExactly("FROM \\ TO", "node0", "node1");
        String lag = "\\d+(\\.\\d)? (B|KiB|MiB)";
        assertThat(matrix.get(2).split("\\s{2,}")).satisfiesExactly(
                c -> assertThat(c).isEqualTo("node0"), c -> assertThat(c).isEqualTo("-"), c -> assertThat(c).matches(lag));
        assertThat(matrix.get(3).split("\\s{2,}")).satisfiesExactly(
                c -> assertThat(c).isEqualTo("node1"), c -> assertThat(c).matches(lag), c -> assertThat(c).isEqualTo("-"));
    }

    @Test
    @Order(3)
    void checkJsonSaysIdenticalAndKeepsItsStepLogOnStderr() throws Exception {
        try (Connection c = TestClusters.connectAsWriter(cluster.ctx, cluster.nodes.get(0));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO table1 (col2) SELECT 'cli-' || g FROM generate_series(1, 25) g");
        }
        CliRun run = cluster.pgmesh("check", "--json");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("identical").asBoolean()).isTrue();
        assertThat(doc.get("drainedMillis").asLong()).isNotNegative();
        JsonNode table = doc.get("tables").get(0);
        assertThat(table.get("table").asText()).isEqualTo("table1");
        assertThat(table.get("identical").asBoolean()).isTrue();
        assertThat(table.get("rowsPerNode").get("node0").asLong()).isGreaterThanOrEqualTo(25)
                .isEqualTo(table.get("rowsPerNode").get("node1").asLong());
        assertThat(table.get("differingIds")).isEmpty();
        assertThat(run.err()).contains("[check] replication drained");
    }

    @Test
    @Order(4)
    void logsPrintsTheNodeContainersLog() {
        NodeContainer node0 = cluster.nodes.get(0);
        CliRun all = cluster.pgmesh("logs", "node0");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains("pgmesh node daemon starting", "NodeDaemonMain - [unconfigured-node] ready",
                "[node0] creating table table1");
        // the daemon is quiet now: the CLI's tail is Docker's tail
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CliRun tail = cluster.pgmesh("logs", "node0", "--tail", "5");
            assertThat(tail.exitCode()).as(tail.err()).isZero();
            assertThat(tail.out().lines().toList())
                    .isEqualTo(ContainerLogs.tail(TestClusters.docker(), node0.containerId(), 5));
        });
    }

    @Test
    @Order(5)
    void logsOfAnUnknownNodeIsAUsageErrorNamingTheNodes() {
        CliRun run = cluster.pgmesh("logs", "node9");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no node 'node9' in cluster " + CLUSTER + "; its nodes: node0, node1")
                .doesNotContain("\tat ");
    }

    /** Last: it stops node1. */
    @Test
    @Order(6)
    void logsFollowEndsWhenTheContainerStops() throws Exception {
        NodeContainer node1 = cluster.nodes.get(1);
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> {
            CommandLine cli = PgMesh.newCommandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            return cli.execute("logs", "node1", "--follow", "--cluster", CLUSTER, "--config",
                    cluster.configFile.toString());
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("[node1] creating table table1"));
        assertThat(follow).as("following: still running").isNotDone();
        TestClusters.docker().stopContainerCmd(node1.containerId()).withTimeout(20).exec();
        assertThat(follow.get(30, TimeUnit.SECONDS)).isZero();
    }
}
