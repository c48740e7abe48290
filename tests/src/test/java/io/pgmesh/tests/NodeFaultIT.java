package io.pgmesh.tests;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.InsertSuite;
import io.pgmesh.orchestrator.suite.SuiteOptions;
import io.pgmesh.orchestrator.suite.SuiteRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node container is killed (SIGKILL, as a crash) while the insert suite runs on a 3-node
 * cluster: the pool routes around it and the suite completes without a failed operation; status
 * shows the node down; {@code pgmesh start-node} brings it back, it catches up, {@code check}
 * passes, and every node holds at least every acknowledged insert.
 */
class NodeFaultIT {

    private static final int SCALE = 15;
    private static TestCluster cluster;

    @BeforeAll
    static void bringUp() {
        cluster = TestCluster.start("pgmesh-itnf", 99, 3);
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeKilledDuringTheInsertSuiteComesBackAndNothingIsLost() throws Exception {
        NodeContainer victim = cluster.nodes.get(1);
        CompletableFuture<List<SuiteRunner.SuiteResult>> suite = CompletableFuture.supplyAsync(() ->
                new SuiteRunner(cluster.ctx).run(List.of(new InsertSuite()), new SuiteOptions(SCALE, false)));
        long expected = InsertSuite.rowsAdded(new SuiteOptions(SCALE, false));

        // kill it once the suite is well under way, not before and not after
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> suite.isDone() || insertedRows(cluster.nodes.get(0)) >= expected / 10);
        assertThat(suite).as("the suite must still be running when the node is killed").isNotDone();
        TestClusters.docker().killContainerCmd(victim.containerId()).exec();
        long killedAt = insertedRows(cluster.nodes.get(0));

        SuiteRunner.SuiteResult result = suite.get(5, TimeUnit.MINUTES).get(0);
        assertThat(killedAt).as("rows when the node was killed").isLessThan(expected);
        assertThat(result.stats().errors()).as("failed operations: " + result.stats().firstErrors()).isZero();
        assertThat(result.stats().succeeded()).isEqualTo(expected);
        assertThat(result.stats().servedPerNode().values()).allSatisfy(perNode ->
                assertThat(perNode).containsKeys("node0", "node2"));

        CliRun status = cluster.pgmesh("status");
        assertThat(status.exitCode()).as("status exits 1 while a node is down").isEqualTo(1);
        assertThat(status.out()).containsPattern("node1\\s.*\\bdown\\b");

        CliRun start = cluster.pgmesh("start-node", "node1");
        assertThat(start.exitCode()).as(start.out() + start.err()).isZero();
        assertThat(start.out()).contains("[node1] starting existing container").contains("[node1] caught up");
        CliRun again = cluster.pgmesh("start-node", "node1");
        assertThat(again.exitCode()).as("starting a running node again is harmless: " + again.err()).isZero();
        assertThat(again.out()).contains("already running");

        CliRun check = cluster.pgmesh("check");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(cluster.pgmesh("status").exitCode()).isZero();
        // an insert whose connection broke is retried once: at least once, never lost
        for (NodeContainer node : cluster.ctx.runtime().list(cluster.name)) {
            long rows = insertedRows(node);
            assertThat(rows).as("rows on " + node.node()).isBetween(expected, expected + result.stats().retries());
        }
        String writerPassword = io.pgmesh.orchestrator.cluster.ClusterSecrets.resolve(cluster.ctx.home(), cluster.name,
                java.util.Map.of(), false).password(io.pgmesh.orchestrator.cluster.ClusterSecrets.WRITER);
        CliRun credentials = cluster.pgmesh("credentials");
        assertThat(credentials.exitCode()).isZero();
        assertThat(credentials.out()).contains("testwriter").contains("jdbc:postgresql://127.0.0.1:")
                .doesNotContain(writerPassword);
        CliRun password = cluster.pgmesh("credentials", "--show-passwords", "--role", "writer", "--password-only");
        assertThat(password.out().trim()).isEqualTo(writerPassword);

        CliRun unknown = cluster.pgmesh("start-node", "node7");
        assertThat(unknown.exitCode()).as("an unknown node is a usage error (UsageException)").isEqualTo(2);
        assertThat(unknown.err()).contains("no node 'node7'").contains("node0, node1, node2").doesNotContain("\tat ");
    }

    private static long insertedRows(NodeContainer node) throws SQLException {
        NodeContainer current = cluster.ctx.runtime().inspect(node.containerId());
        try (Connection c = TestClusters.connectAsReader(cluster.ctx, current);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM table1 WHERE col1 = 'insert-test'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
