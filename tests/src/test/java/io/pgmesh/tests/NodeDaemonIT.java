package io.pgmesh.tests;

import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.RpcAuth;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One node daemon in one container (Testcontainers), driven over JSON-RPC: errors carry codes and
 * the culprit field, nothing runs on invalid input, and every method is idempotent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeDaemonIT {

    private static final String DB = "lb-test";
    private static final String SECRET = "node-daemon-it-" + java.util.UUID.randomUUID();
    /** Frames of the fuzz run (CI); the stress profile raises it with -Dpgmesh.fuzz.frames. */
    private static final int FUZZ_FRAMES = Integer.getInteger("pgmesh.fuzz.frames", 10_000);
    private static final Credentials OWNER = new Credentials("admin", "owner-pw-1");
    private static final Credentials REPL = new Credentials("replicator", "repl-pw-1");
    private static final Credentials WRITER = new Credentials("testwriter", "writer-pw-1");
    private static final Credentials READER = new Credentials("testreader", "reader-pw-1");
    private static final TableSpec TABLE = new TableSpec("table1", List.of(
            new ColumnSpec("id", "bigserial", true, true, null),
            new ColumnSpec("col1", "varchar", false, false, "default-value"),
            new ColumnSpec("col2", "varchar", false, false, null)));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GenericContainer<?> container;
    private static NodeRpcClient client;
    private static NodeRpc node;

    @BeforeAll
    static void startNode() {
        container = new GenericContainer<>(DockerImageName.parse(TestClusters.ensureImage()))
                .withLabel(Labels.CLUSTER, "pgmesh-it-daemon")
                .withEnv("PGMESH_MAX_NODES", "4")
                .withEnv(RpcAuth.ENV, SECRET)
                .withExposedPorts(5432, 64000)
                .withCreateContainerCmdModifier(cmd -> {
                    Ports ports = new Ports();
                    ports.bind(ExposedPort.tcp(5432), Ports.Binding.bindIp("127.0.0.1"));
                    ports.bind(ExposedPort.tcp(64000), Ports.Binding.bindIp("127.0.0.1"));
                    cmd.getHostConfig().withPortBindings(ports);
                })
                .waitingFor(Wait.forListeningPorts(64000).withStartupTimeout(Duration.ofSeconds(90)));
        container.start();
        client = NodeRpcClient.forLocalPort("node2", container.getMappedPort(64000), Duration.ofSeconds(60), SECRET);
        node = client.api();
    }

    @AfterAll
    static void stopNode() {
        if (client != null) {
            client.close();
        }
        if (container != null) {
            container.stop();
        }
    }

    @Test
    @Order(1)
    void statusBeforeTopologyShowsPostgresUpAndNoIdentity() {
        NodeStatus status = node.status();
        assertThat(status.postgresUp()).isTrue();
        assertThat(status.postgresVersion()).startsWith("17");
        assertThat(status.node()).isNull();
        assertThat(status.index()).isEqualTo(-1);
    }

    @Test
    @Order(2)
    void createTableBeforeTopologyIsNotConfigured() {
        NodeRpcException e = assertThrows(NodeRpcException.class,
                () -> node.createReplicaTable(new ReplicaTableRequest(DB, TABLE, REPL)));
        assertThat(e.errorCode()).isEqualTo(RpcErrorCode.NOT_CONFIGURED);
    }

    @Test
    @Order(3)
    void badAddressInTopologyNamesTheField() {
        NodeRpcException e = assertThrows(NodeRpcException.class, () -> node.updateNetworkTopology(
                new NetworkTopology("it", "node2", 2, "net", List.of(new TopologyHost("node2", 2, "10.0.0.300")))));
        assertThat(e.errorCode()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
        assertThat(e.field()).isEqualTo("topology.hosts[0].address");
    }

    @Test
    @Order(4)
    void topologyAndDatabaseAreIdempotent() {
        NetworkTopology topology = new NetworkTopology("it", "node2", 2, "net",
                List.of(new TopologyHost("node2", 2, "10.251.0.12")));
        assertThat(node.updateNetworkTopology(topology).actions()).isNotEmpty();
        assertThat(node.updateNetworkTopology(topology).actions()).isEmpty();

        DatabaseSpec db = new DatabaseSpec(DB, OWNER, REPL, WRITER, READER);
        StepResult first = node.initDatabase(db);
        assertThat(first.actions()).anyMatch(a -> a.contains(DB)).anyMatch(a -> a.contains("replicator"));
        assertThat(node.initDatabase(db).actions()).isEmpty();
    }

    @Test
    @Order(5)
    void injectionInAColumnNameIsRefusedAndNothingIsCreated() {
        TableSpec evil = new TableSpec("table1", List.of(
                new ColumnSpec("id", "bigserial", true, true, null),
                new ColumnSpec("x\" text); DROP DATABASE postgres; --", "varchar", false, false, null)));
        NodeRpcException e = assertThrows(NodeRpcException.class,
                () -> node.createReplicaTable(new ReplicaTableRequest(DB, evil, REPL)));
        assertThat(e.errorCode()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
        assertThat(e.field()).isEqualTo("table.columns[1].name");
        assertThat(node.status().publications()).isEmpty();
    }

    @Test
    @Order(6)
    void replicaTableIsIdempotentAndUsesTheNodesKeyRange() throws Exception {
        StepResult first = node.createReplicaTable(new ReplicaTableRequest(DB, TABLE, REPL));
        assertThat(first.actions()).anyMatch(a -> a.contains(MeshNames.publication("node2", "table1")));
        assertThat(node.createReplicaTable(new ReplicaTableRequest(DB, TABLE, REPL)).actions()).isEmpty();

        assertThat(node.status().publications()).singleElement()
                .satisfies(p -> assertThat(p.tables()).contains("table1"));

        Properties props = new Properties();
        props.setProperty("user", WRITER.user());
        props.setProperty("password", WRITER.password());
        try (Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/" + DB, props);
             ResultSet rs = c.createStatement().executeQuery("INSERT INTO table1 (col2) VALUES ('x') RETURNING id, col1")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(MeshNames.firstKey(2));
            assertThat(rs.getString(2)).isEqualTo("default-value");
        }
    }

    @Test
    @Order(7)
    void truncateIsRefusedEvenForTheOwnerAndDeleteWorks() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", OWNER.user());
        props.setProperty("password", OWNER.password());
        try (Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/" + DB, props);
             java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO table1 (col2) VALUES ('kept')");
            long before = count(s);
            assertThat(before).isGreaterThanOrEqualTo(1);

            java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> s.execute("TRUNCATE table1"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("TRUNCATE of the replicated table table1 is refused");
            assertThat(((org.postgresql.util.PSQLException) e).getServerErrorMessage().getHint())
                    .startsWith("Use DELETE FROM table1");
            assertThat(count(s)).as("rows after the refused TRUNCATE").isEqualTo(before);

            assertThat(s.executeUpdate("DELETE FROM table1 WHERE col2 = 'kept'")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pgmesh_tombstones_table1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the DELETE left a tombstone").isGreaterThanOrEqualTo(1);
            }
        }
    }

    private static long count(java.sql.Statement s) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM table1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(8)
    void wrongPasswordIsRejected() {
        Properties props = new Properties();
        props.setProperty("user", WRITER.user());
        props.setProperty("password", "not-the-password");
        var e = assertThrows(java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/" + DB, props).close());
        assertThat(e.getSQLState()).isEqualTo("28P01");
    }

    @Test
    @Order(9)
    void unknownMethodGetsMethodNotFound() throws Exception {
        String response = rawCall("{\"auth\":\"" + SECRET + "\",\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"dropEverything\",\"params\":{}}");
        assertThat(response).contains("\"code\":-32601").contains("\"id\":7");
    }

    @Test
    @Order(10)
    void callsWithoutTheClusterSecretAreRefusedAndLogged() throws Exception {
        String none = rawCall("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"status\"}");
        assertThat(none).contains("\"code\":" + RpcErrorCode.UNAUTHORIZED.code()).contains("\"id\":8")
                .doesNotContain("\"result\"");
        NodeRpc impostor = NodeRpcClient.forLocalPort("node2", container.getMappedPort(64000), Duration.ofSeconds(10),
                "a-guess-at-the-secret-000").api();
        NodeRpcException e = assertThrows(NodeRpcException.class,
                () -> impostor.updateNetworkTopology(new NetworkTopology("evil", "node9", 9, "net", List.of())));
        assertThat(e.errorCode()).isEqualTo(RpcErrorCode.UNAUTHORIZED);
        assertThat(node.status().node()).as("the refused call changed nothing").isEqualTo("node2");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(container.getLogs())
                .contains("status refused: the call carries no cluster secret")
                .contains("updateNetworkTopology refused: the call carries a wrong cluster secret")
                .doesNotContain("a-guess-at-the-secret-000"));
    }

    @Test
    @Order(11)
    void onlyTheLocalSocketIsTrustedEverythingElseIsScram() throws Exception {
        var rules = container.execInContainer("psql", "-XAtc",
                "SELECT string_agg(type || ' ' || auth_method, ',' ORDER BY line_number) FROM pg_hba_file_rules");
        assertThat(rules.getExitCode()).as(rules.getStderr()).isZero();
        for (String rule : rules.getStdout().trim().split(",")) {
            assertThat(rule).as("hba rule").isIn("local peer", "host scram-sha-256", "hostssl scram-sha-256");
        }
        assertThat(rules.getStdout()).contains("host scram-sha-256");
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        var e = assertThrows(java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/postgres", noPassword).close());
        assertThat(e.getMessage()).containsIgnoringCase("SCRAM");
    }

    /**
     * Random and mutated frames, each on its own connection; every answer must be a well-formed
     * JSON-RPC error or a result of a read-only call, never INTERNAL; afterwards status is right.
     */
    @Test
    @Order(100)
    void survivesAFuzzOfRandomAndMutatedFrames() throws Exception {
        long seed = Long.getLong("pgmesh.fuzz.seed", System.nanoTime());
        RpcFuzzFrames frames = new RpcFuzzFrames(seed, SECRET, DB, "table1");
        java.util.Map<Integer, Integer> codes = new java.util.TreeMap<>();
        int answered = 0;
        int results = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int i = 0; i < FUZZ_FRAMES; i++) {
            assertThat(System.nanoTime()).as("fuzz deadline (seed " + seed + ")").isLessThan(deadline);
            byte[] frame = frames.next();
            for (String line : sendAndReadAll(frame)) {
                answered++;
                JsonNode response = JSON.readTree(line);
                String context = "seed " + seed + ", frame " + i + ": " + new String(frame, StandardCharsets.UTF_8)
                        + " -> " + line;
                assertThat(response.path("jsonrpc").asText()).as(context).isEqualTo("2.0");
                assertThat(response.has("result") ^ response.has("error")).as(context).isTrue();
                if (response.has("error")) {
                    int code = response.at("/error/code").asInt();
                    codes.merge(code, 1, Integer::sum);
                    assertThat(code).as(context).isIn(-32700, -32600, -32601, -32602,
                            RpcErrorCode.UNAUTHORIZED.code(), RpcErrorCode.INVALID_REQUEST.code(),
                            RpcErrorCode.NOT_CONFIGURED.code());
                } else {
                    results++;
                }
            }
            if (i % 2_000 == 1_999) {
                assertThat(node.status().node()).as("status during the fuzz (seed " + seed + ")").isEqualTo("node2");
            }
        }
        System.out.printf("[fuzz] seed %d: %d frames, %d answers (%d results), error codes %s%n",
                seed, FUZZ_FRAMES, answered, results, codes);
        NodeStatus after = node.status();
        assertThat(after.node()).isEqualTo("node2");
        assertThat(after.postgresUp()).isTrue();
        assertThat(after.publications()).extracting(p -> p.name()).containsExactly(MeshNames.publication("node2", "table1"));
        assertThat(codes).containsKeys(-32700, RpcErrorCode.UNAUTHORIZED.code());
        assertThat(results).as("some read-only calls survived mutation and were served").isPositive();
    }

    private static List<String> sendAndReadAll(byte[] frame) throws Exception {
        try (Socket s = new Socket("127.0.0.1", container.getMappedPort(64000))) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(frame);
                s.shutdownOutput();
            } catch (java.net.SocketException closedEarly) {
                // the daemon may close a connection before it read everything (e.g. over 1 MiB)
            }
            List<String> lines = new java.util.ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.net.SocketException reset) {
                // closed by the daemon after an oversized or corrupt frame
            }
            return lines;
        }
    }

    private static String rawCall(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", container.getMappedPort(64000))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
