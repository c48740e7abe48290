package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.rpc.ClientTls;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.tls.ClusterPki;
import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.awaitility.Awaitility.await;

/**
 * Nothing in clear text: every network connection to a node is TLS, verified against the cluster's CA. Plain
 * connections are refused by PostgreSQL; the replication role logs in with its certificate (no password in any
 * subscription); a certificate of another CA is refused by PostgreSQL and by the daemon's JSON-RPC. Then
 * {@code rotate-certs}, {@code rotate-certs --ca} and {@code rotate-passwords} beside writers on every node that keep
 * reconnecting: no write fails beyond a login retry, none is lost, the nodes end identical, and the old certificates
 * and password are refused afterwards.
 */
class TlsIT {

    @Test
    void everyConnectionIsTlsAndRotationsKeepEveryWrite() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-ittls", 98, 3)) {
            NodeContainer node0 = cluster.nodes.get(0);
            NodeContainer node1 = cluster.nodes.get(1);
            String db = cluster.config.database();
            ClusterPki pki = cluster.ctx.pki();

            // PostgreSQL: TLS only; verify-full with the cluster's CA works, as printed by 'pgmesh credentials'
            Properties plain = writerLogin(cluster);
            plain.setProperty("sslmode", "disable");
            SQLException clear = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:postgresql://"
                    + cluster.ctx.runtime().pgEndpoint(node0) + "/" + db, plain).close());
            assertThat(clear.getMessage()).as("a plain connection to the published port").contains("no encryption");
            CliRun credentials = cluster.pgmesh("credentials");
            assertThat(credentials.exitCode()).as(credentials.err()).isZero();
            String printed = credentials.out().lines().filter(l -> l.startsWith("node0 ")).findFirst().orElseThrow()
                    .substring("node0".length()).strip();
            assertThat(printed).contains("sslmode=verify-full").contains("sslrootcert=");
            try (Connection c = DriverManager.getConnection(printed, writerLogin(cluster));
                 ResultSet rs = c.createStatement().executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the printed URL's session is encrypted").isTrue();
            }
            // libpq (psql) between the nodes, on the cluster network: refused in clear, served with verify-full
            String password = ClusterSecrets.resolve(cluster.ctx.home(), cluster.name, java.util.Map.of(), false)
                    .password(ClusterSecrets.WRITER);
            String user = cluster.config.roles().testWriter().id();
            TestClusters.Exec refused = TestClusters.exec(node0, "postgres", "bash", "-c", "PGPASSWORD='" + password
                    + "' psql -XAt 'host=" + node1.address() + " dbname=" + db + " user=" + user
                    + " sslmode=disable' -c 'SELECT 1'");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("no encryption");
            TestClusters.Exec served = TestClusters.exec(node0, "postgres", "bash", "-c", "PGPASSWORD='" + password
                    + "' psql -XAt 'host=" + node1.address() + " dbname=" + db + " user=" + user
                    + " sslmode=verify-full sslrootcert=/var/lib/postgresql/pgmesh/tls/ca.crt' -c 'SELECT 1'");
            assertThat(served.exit()).as(served.output()).isZero();

            // replication by certificate: no subscription holds a password, and changes flow
            for (NodeContainer node : cluster.nodes) {
                String conninfos = TestClusters.psqlAsPostgres(node, db, "SELECT string_agg(subconninfo, ' | ') FROM pg_subscription");
                assertThat(conninfos).as(node.node() + "'s subscriptions").contains("sslmode=verify-full")
                        .contains("sslcert=").doesNotContainIgnoringCase("password");
            }
            long id = insert(cluster, node0, "replicated by certificate");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(cluster, cluster.nodes.get(2), "id = " + id) == 1);

            // the replication role: its certificate gets in, a password does not, another CA's certificate does not
            Path work = Files.createTempDirectory("pgmesh-tlsit");
            ClusterPki foreign = ClusterPki.ensure(work.resolve("foreign-home"), "foreign");
            String role = cluster.config.roles().replication().id();
            foreign.issueNode("node0", role, List.of("node0"));
            Path ownCert = pki.directory().resolve("nodes/node0/" + TlsFiles.REPLICATOR_CERT);
            Path ownKey = derKey(pki.directory().resolve("nodes/node0/" + TlsFiles.REPLICATOR_KEY), work.resolve("own.pk8"));
            assertThat(replicatorLogin(cluster, node1, ownCert, ownKey)).as("the node's own certificate").isNull();
            Path foreignCert = foreign.directory().resolve("nodes/node0/" + TlsFiles.REPLICATOR_CERT);
            Path foreignKey = derKey(foreign.directory().resolve("nodes/node0/" + TlsFiles.REPLICATOR_KEY),
                    work.resolve("foreign.pk8"));
            assertThat(replicatorLogin(cluster, node1, foreignCert, foreignKey)).as("another CA's certificate")
                    .isNotNull();
            Properties byPassword = new Properties();
            byPassword.setProperty("user", role);
            byPassword.setProperty("password", ClusterSecrets.resolve(cluster.ctx.home(), cluster.name,
                    java.util.Map.of(), false).password(ClusterSecrets.REPLICATOR));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(cluster.ctx.jdbcUrl(node1, db),
                    byPassword).close(), "the replication role by password");

            // JSON-RPC: mutual TLS; a client certificate of another CA is refused
            ClientTls impostor = ClientTls.load(pki.caFile(), foreign.orchestratorCertificate(), foreign.orchestratorKey());
            NodeRpcException rpcRefused = assertThrows(NodeRpcException.class, () -> rpc(cluster, node0, impostor).api().status());
            assertThat(rpcRefused.getMessage()).contains("refused TLS for status");
            assertThat(rpc(cluster, node0, pki.clientTls()).api().status().node()).isEqualTo("node0");

            // rotations beside writers on every node that keep opening new sessions
            Path oldOrchestratorCert = Files.copy(pki.orchestratorCertificate(), work.resolve("old-orchestrator.crt"));
            Path oldOrchestratorKey = Files.copy(pki.orchestratorKey(), work.resolve("old-orchestrator.key"));
            Path oldCaCert = Files.copy(pki.caFile(), work.resolve("old-ca.crt"));
            Path oldReplicatorCert = Files.copy(ownCert, work.resolve("old-replicator.crt"));
            long generationBefore = rpc(cluster, node0, pki.clientTls()).api().status().tls().generation();
            String oldWriterPassword = password;
            try (Writers writers = new Writers(cluster)) {
                writers.awaitProgress(300);
                CliRun rotate = cluster.pgmesh("rotate-certs");
                assertThat(rotate.exitCode()).as(rotate.out() + rotate.err()).isZero();
                assertThat(rotate.out()).contains("rotated the certificates of node0, node1, node2");
                writers.awaitProgress(300);
                assertThat(replicatorLogin(cluster, node1, oldReplicatorCert, ownKey))
                        .as("the superseded replicator certificate").isNotNull();
                NodeRpcException oldRefused = assertThrows(NodeRpcException.class, () -> rpc(cluster, node1,
                        ClientTls.load(pki.caFile(), oldOrchestratorCert, oldOrchestratorKey)).api().status());
                assertThat(oldRefused.getMessage()).contains("refused TLS for status");

                CliRun rotateCa = cluster.pgmesh("rotate-certs", "--ca");
                assertThat(rotateCa.exitCode()).as(rotateCa.out() + rotateCa.err()).isZero();
                assertThat(Files.readString(pki.caFile())).isNotEqualTo(Files.readString(oldCaCert));
                writers.awaitProgress(300);

                CliRun passwords = cluster.pgmesh("rotate-passwords");
                assertThat(passwords.exitCode()).as(passwords.out() + passwords.err()).isZero();
                writers.awaitProgress(300);
                writers.stop();
                assertThat(writers.errors).as("writes that failed beyond a login retry").isEmpty();
                System.out.printf("[TlsIT] %d rows written beside the rotations, %d login retries%n",
                        writers.acknowledged.size(), writers.loginRetries.get());

                new ReplicationDrain(cluster.ctx).await(Duration.ofSeconds(60));
                for (NodeContainer node : cluster.nodes) {
                    Set<Long> present = ids(cluster, node);
                    Set<Long> missing = new java.util.HashSet<>(writers.acknowledged);
                    missing.removeAll(present);
                    assertThat(missing).as("acknowledged rows missing on " + node.node()).isEmpty();
                }
            }
            ClusterCheck.Result check = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60));
            assertThat(check.identical()).as("check after the rotations" + TestClusters.evidence(cluster.ctx, check))
                    .isTrue();
            // afterwards: the old CA's certificates and the old password are refused, the new ones work
            assertThat(rpc(cluster, node0, pki.clientTls()).api().status().tls().generation())
                    .isGreaterThan(generationBefore);
            Path newKey = derKey(pki.directory().resolve("nodes/node0/" + TlsFiles.REPLICATOR_KEY), work.resolve("new.pk8"));
            assertThat(replicatorLogin(cluster, node1, ownCert, newKey)).as("the new certificate").isNull();
            assertThat(io.pgmesh.protocol.Pem.certificates(pki.caFile())).hasSize(1);
            Properties oldPassword = writerLogin(cluster);
            oldPassword.setProperty("password", oldWriterPassword);
            SQLException stale = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    cluster.ctx.jdbcUrl(node0, db), oldPassword).close());
            assertThat(stale.getSQLState()).isEqualTo("28P01");
            try (Connection c = DriverManager.getConnection(cluster.ctx.jdbcUrl(node0, db), writerLogin(cluster))) {
                assertThat(c.isValid(5)).isTrue();
            }
            CliRun status = cluster.pgmesh("status", "--json");
            assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
            assertThat(status.out()).contains("\"certificateExpires\"").doesNotContain("certificate expires on");
        }
    }

    private static Properties writerLogin(TestCluster cluster) {
        Properties props = new Properties();
        props.setProperty("user", cluster.config.roles().testWriter().id());
        props.setProperty("password", ClusterSecrets.resolve(cluster.ctx.home(), cluster.name, java.util.Map.of(),
                false).password(ClusterSecrets.WRITER));
        props.setProperty("connectTimeout", "10");
        return props;
    }

    /** Logs in as the replication role with a client certificate; null when it got in, else the refusal. */
    private static String replicatorLogin(TestCluster cluster, NodeContainer node, Path cert, Path derKey) {
        Properties props = new Properties();
        props.setProperty("user", cluster.config.roles().replication().id());
        props.setProperty("sslcert", cert.toString());
        props.setProperty("sslkey", derKey.toString());
        props.setProperty("connectTimeout", "10");
        try (Connection c = DriverManager.getConnection(cluster.ctx.jdbcUrl(node, cluster.config.database()), props);
             Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Path derKey(Path pem, Path der) throws Exception {
        Files.write(der, io.pgmesh.protocol.Pem.privateKey(pem).getEncoded()); // PKCS#8 DER, what pgjdbc reads
        return der;
    }

    private static NodeRpcClient rpc(TestCluster cluster, NodeContainer node, ClientTls tls) {
        return NodeRpcClient.forEndpoint(node.node(), cluster.ctx.runtime().rpcEndpoint(node).host(),
                cluster.ctx.runtime().rpcEndpoint(node).port(), Duration.ofSeconds(10), cluster.ctx.rpcSecret(), tls);
    }

    private static long insert(TestCluster cluster, NodeContainer node, String value) throws SQLException {
        try (Connection c = TestClusters.connectAsWriter(cluster.ctx, node);
             PreparedStatement ps = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(TestCluster cluster, NodeContainer node, String where) throws SQLException {
        try (Connection c = TestClusters.connectAsReader(cluster.ctx, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM table1 WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<Long> ids(TestCluster cluster, NodeContainer node) throws SQLException {
        Set<Long> ids = new java.util.HashSet<>();
        try (Connection c = TestClusters.connectAsReader(cluster.ctx, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM table1")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * One writer per node, inserting without pauses and opening a new session every 20 rows (so logins happen all
     * through the rotations). A login refused for its password is retried after re-reading the stored passwords, as a
     * pool would (a node may have the new password before the file does); anything else is an error. Bounded to
     * 200,000 rows and 5 minutes per writer.
     */
    private static final class Writers implements AutoCloseable {
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger loginRetries = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Writers(TestCluster cluster) {
            for (NodeContainer node : cluster.nodes) {
                Thread t = new Thread(() -> write(cluster, node), "tls-writer-" + node.node());
                threads.add(t);
                t.start();
            }
        }

        private void write(TestCluster cluster, NodeContainer node) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            int written = 0;
            while (running.get() && written < 200_000 && System.nanoTime() < deadline) {
                Connection c;
                try {
                    c = DriverManager.getConnection(cluster.ctx.jdbcUrl(node, cluster.config.database()),
                            writerLogin(cluster));
                } catch (SQLException e) {
                    if ("28P01".equals(e.getSQLState()) && loginRetries.incrementAndGet() < 1_000) {
                        pause();
                        continue;
                    }
                    errors.add(node.node() + " login: " + e.getMessage());
                    return;
                }
                try (c; PreparedStatement ps = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                    for (int i = 0; i < 20 && running.get(); i++, written++) {
                        ps.setString(1, "tls writer " + node.node() + " " + written);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            acknowledged.add(rs.getLong(1));
                        }
                    }
                } catch (SQLException e) {
                    errors.add(node.node() + ": " + e.getMessage());
                    return;
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitProgress(int rows) {
            int target = acknowledged.size() + rows;
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= target || !errors.isEmpty());
            assertThat(errors).isEmpty();
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
