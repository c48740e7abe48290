package io.pgmesh.tests;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.cluster.RollingRestart;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.InsertSuite;
import io.pgmesh.orchestrator.suite.SuiteOptions;
import io.pgmesh.orchestrator.suite.SuiteRunner;
import io.pgmesh.orchestrator.suite.UpdateSuite;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pgmesh upgrade} while the insert and update suites run through the pool: every node moves to a rebuilt
 * image, one at a time, on its own data and host ports; no operation fails (the pool retries on another node), every
 * acknowledged row is on every node, and check says identical. A second upgrade changes nothing.
 */
class UpgradeIT {

    private static final int INSERT_SCALE = 40;
    private static final String REBUILT = "pgmesh-node:upgrade-it";

    @Test
    void upgradeRollsEveryNodeUnderTheSuitesAndLosesNothing() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-itug", 84, 3)) {
            String rebuilt = rebuild(TestClusters.ensureImage());
            List<Integer> ports = cluster.ctx.runtime().list(cluster.name).stream().map(NodeContainer::pgPort).toList();
            SuiteOptions insertOptions = new SuiteOptions(INSERT_SCALE, false);
            long expected = InsertSuite.rowsAdded(insertOptions);
            CompletableFuture<List<SuiteRunner.SuiteResult>> inserts = CompletableFuture.supplyAsync(() ->
                    new SuiteRunner(cluster.ctx).run(List.of(new InsertSuite()), insertOptions));
            CompletableFuture<List<SuiteRunner.SuiteResult>> updates = CompletableFuture.supplyAsync(() ->
                    new SuiteRunner(cluster.ctx).run(List.of(new UpdateSuite()), new SuiteOptions(6, true)));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> inserts.isDone() || insertedRows(cluster, 0) >= expected / 20);
            assertThat(inserts).as("the insert suite must still run when the upgrade starts").isNotDone();

            RollingRestart.Result result = new RollingRestart(cluster.ctx).upgrade(rebuilt, Duration.ofMinutes(3));
            long insertedAtEnd = insertedRows(cluster, 0);

            assertThat(result.replaced()).containsExactly("node0", "node1", "node2");
            List<NodeContainer> after = cluster.ctx.runtime().list(cluster.name);
            assertThat(after).allMatch(NodeContainer::running)
                    .allSatisfy(n -> assertThat(cluster.ctx.runtime().runsImage(n, rebuilt)).as(n.node()).isTrue());
            assertThat(after).extracting(NodeContainer::pgPort).as("host ports kept").isEqualTo(ports);

            SuiteRunner.SuiteResult insert = inserts.get(10, TimeUnit.MINUTES).get(0);
            SuiteRunner.SuiteResult update = updates.get(10, TimeUnit.MINUTES).get(0);
            System.out.printf("[UpgradeIT] upgrade done with %d of %d suite rows inserted; insert retries %d,"
                    + " update retries %d%n", insertedAtEnd, expected, insert.stats().retries(), update.stats().retries());
            assertThat(insertedAtEnd).as("the suite was still writing when the last node was replaced")
                    .isLessThan(expected);
            assertThat(insert.stats().errors()).as("failed inserts: " + insert.stats().firstErrors()).isZero();
            assertThat(update.stats().errors()).as("failed updates: " + update.stats().firstErrors()).isZero();
            assertThat(insert.stats().succeeded()).isEqualTo(expected);

            ClusterCheck.Result check = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(120));
            assertThat(check.identical()).as("check" + TestClusters.evidence(cluster.ctx, check)).isTrue();
            for (int i = 0; i < after.size(); i++) {
                // an insert whose connection broke is retried once: at least once, never lost
                assertThat(insertedRows(cluster, i)).as("suite rows on node" + i)
                        .isBetween(expected, expected + insert.stats().retries());
            }

            RollingRestart.Result again = new RollingRestart(cluster.ctx).upgrade(rebuilt, Duration.ofMinutes(1));
            assertThat(again.replaced()).isEmpty();
            assertThat(again.current()).containsExactly("node0", "node1", "node2");
        } finally {
            try {
                TestClusters.docker().removeImageCmd(REBUILT).withForce(true).exec();
            } catch (RuntimeException gone) {
                // not built, or already removed
            }
        }
    }

    /** A new image from the node image: the same content plus a label, so a different image id. */
    private static String rebuild(String image) throws Exception {
        Path context = Files.createTempDirectory("pgmesh-upgrade-it");
        try {
            Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\nLABEL io.pgmesh.upgrade-it="
                    + System.nanoTime() + "\n");
            TestClusters.docker().buildImageCmd(context.toFile()).withTags(Set.of(REBUILT)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId();
            return REBUILT;
        } finally {
            Files.deleteIfExists(context.resolve("Dockerfile"));
            Files.deleteIfExists(context);
        }
    }

    private static long insertedRows(TestCluster cluster, int index) throws SQLException {
        NodeContainer node = cluster.ctx.runtime().list(cluster.name).get(index);
        try (Connection c = TestClusters.connectAsReader(cluster.ctx, node);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM table1 WHERE col1 = 'insert-test'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
