package io.pgmesh.tests;

import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.SettledCutoffs;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import io.pgmesh.protocol.UnsettledKeysRequest;
import io.pgmesh.protocol.Tombstone;
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
import java.time.Instant;
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

    /** The CA of this IT's node, in a home of its own. */
    private static io.pgmesh.orchestrator.tls.ClusterPki pki;

    @BeforeAll
    static void startNode() throws java.io.IOException {
        pki = io.pgmesh.orchestrator.tls.ClusterPki.ensure(java.nio.file.Files.createTempDirectory("pgmesh-it-daemon"),
                "pgmesh-it-daemon");
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
        // the TLS material as the runtime hands it over: files under /run/secrets, never the environment
        pki.issueNode("node2", REPL.user(), List.of("node2", "127.0.0.1", "localhost")).forEach((name, content) ->
                container.withCopyToContainer(org.testcontainers.images.builder.Transferable.of(
                        content.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0444),
                        "/run/secrets/" + io.pgmesh.protocol.TlsFiles.DELIVERY_PREFIX + name));
        container.start();
        client = NodeRpcClient.forLocalPort("node2", container.getMappedPort(64000), Duration.ofSeconds(60), SECRET,
                pki.clientTls());
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
                url(DB), props);
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
                url(DB), props);
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
                url(DB), props).close());
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
                "a-guess-at-the-secret-000", pki.clientTls()).api();
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
    void onlyTheLocalSocketIsTrustedTheNetworkIsTlsWithScramOrTheReplicatorsCertificate() throws Exception {
        var rules = container.execInContainer("psql", "-XAtc",
                "SELECT string_agg(type || ' ' || auth_method, ',' ORDER BY line_number) FROM pg_hba_file_rules");
        assertThat(rules.getExitCode()).as(rules.getStderr()).isZero();
        for (String rule : rules.getStdout().trim().split(",")) {
            assertThat(rule).as("hba rule").isIn("local peer", "hostssl cert", "hostssl scram-sha-256");
        }
        assertThat(rules.getStdout()).contains("hostssl scram-sha-256").contains("hostssl cert");
        Properties plain = new Properties();
        plain.setProperty("user", WRITER.user());
        plain.setProperty("password", WRITER.password());
        plain.setProperty("sslmode", "disable");
        var clear = assertThrows(java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/" + DB, plain).close());
        assertThat(clear.getMessage()).as("a connection without TLS").contains("no encryption");
        Properties replicatorByPassword = new Properties();
        replicatorByPassword.setProperty("user", REPL.user());
        replicatorByPassword.setProperty("password", REPL.password());
        var byPassword = assertThrows(java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
                url(DB), replicatorByPassword).close());
        assertThat(byPassword.getMessage()).as("the replication role by password").containsIgnoringCase("certificate");
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        var e = assertThrows(java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
                url("postgres"), noPassword).close());
        assertThat(e.getMessage()).containsIgnoringCase("SCRAM");
    }

    /**
     * Random and mutated frames, each on its own connection; every answer must be a well-formed
     * JSON-RPC error or a result of a read-only call, never INTERNAL; afterwards status is right.
     */
    @Test
    @Order(12)
    void aDigestComparesSettledChangesAndAWindowAddsKeysDeletedInIt() throws Exception {
        long base = node.digestTable(new DigestRequest(DB, "table1", 16)).rows();
        try (Connection c = connectAs(WRITER)) {
            List<Long> a = insertReturningIds(c, "a1", "a2", "a3");
            ChangeHorizon h1 = node.changeHorizon(new HorizonRequest(DB));
            assertThat(h1.nodeIndex()).isEqualTo(2);
            assertThat(h1.heldBy()).as("no transaction open").isNull();
            List<Long> b = insertReturningIds(c, "b1", "b2");
            c.createStatement().executeUpdate("DELETE FROM table1 WHERE id = " + a.get(0));
            ChangeHorizon h2 = node.changeHorizon(new HorizonRequest(DB));
            assertThat(Instant.parse(h2.horizon())).isAfter(Instant.parse(h1.horizon()));

            SettledCutoffs beforeH1 = new SettledCutoffs(List.of(new SettledCutoffs.OriginCutoff(2, h1.horizon())));
            assertThat(node.digestTable(new DigestRequest(DB, "table1", 16, beforeH1)).rows())
                    .as("a2, a3: the b rows were written after h1").isEqualTo(base + 2);
            assertThat(node.digestTable(new DigestRequest(DB, "table1", 16,
                    new SettledCutoffs(List.of(new SettledCutoffs.OriginCutoff(2, h2.horizon()))))).rows())
                    .isEqualTo(base + 4);
            assertThat(node.digestTable(new DigestRequest(DB, "table1", 16, new SettledCutoffs(List.of(
                    new SettledCutoffs.OriginCutoff(7, h1.horizon()))))).rows())
                    .as("another origin's cutoff leaves this node's rows settled").isEqualTo(base + 4);

            TableDigest settledBeforeH1 = node.digestTable(new DigestRequest(DB, "table1", 16, beforeH1));
            UnsettledKeys unsettled = node.unsettledKeys(new UnsettledKeysRequest(DB, "table1", beforeH1));
            assertThat(unsettled.ids()).as("the keys written and deleted after h1").containsExactly(a.get(0),
                    b.get(0), b.get(1));
            assertThat(unsettled.complete()).isTrue();
            TableDigest withoutA2 = node.digestTable(new DigestRequest(DB, "table1", 16, beforeH1, List.of(a.get(1))));
            assertThat(withoutA2.rows()).as("a key left out is not digested").isEqualTo(base + 1);
            assertThat(new java.math.BigInteger(withoutA2.checksum()))
                    .isNotEqualTo(new java.math.BigInteger(settledBeforeH1.checksum()));

            List<Integer> everyBucket = java.util.stream.IntStream.range(0, 16).boxed().toList();
            RowHashes hashes = node.rowHashes(new RowHashRequest(DB, "table1", 16, everyBucket, beforeH1));
            assertThat(hashes.unsettledIds()).as("rows written and the key deleted after h1")
                    .containsExactlyInAnyOrder(b.get(0), b.get(1), a.get(0));
            assertThat(hashes.rows()).extracting(RowHashes.RowHash::id).contains(a.get(1), a.get(2))
                    .doesNotContain(b.get(0), b.get(1), a.get(0));

            // a window from h1: only what changed since, and the key deleted in it (as its delete)
            SettledCutoffs sinceH1 = new SettledCutoffs(List.of(
                    new SettledCutoffs.OriginCutoff(2, h2.horizon(), h1.horizon())));
            assertThat(node.digestTable(new DigestRequest(DB, "table1", 16, sinceH1)).rows()).isEqualTo(3);
            RowHashes window = node.rowHashes(new RowHashRequest(DB, "table1", 16, everyBucket, sinceH1));
            assertThat(window.rows()).extracting(RowHashes.RowHash::id)
                    .containsExactlyInAnyOrder(b.get(0), b.get(1), a.get(0));
            assertThat(window.unsettledIds()).isEmpty();

            // an open transaction holds the horizon back to its start, and names itself
            try (Connection open = connectAs(WRITER)) {
                open.setAutoCommit(false);
                open.createStatement().executeQuery("SELECT 1").close();
                ChangeHorizon held = node.changeHorizon(new HorizonRequest(DB));
                assertThat(held.heldBy()).contains("testwriter").contains("idle in transaction");
                assertThat(Instant.parse(held.horizon())).isBefore(Instant.now().plusSeconds(1));
                open.commit();
                ChangeHorizon free = node.changeHorizon(new HorizonRequest(DB));
                assertThat(free.heldBy()).isNull();
                assertThat(Instant.parse(free.horizon())).isAfter(Instant.parse(held.horizon()));
            }
        }
    }

    @Test
    @Order(13)
    void rowStatesAndRepairRowsWorkOnManyKeysInOneCall() throws Exception {
        try (Connection c = connectAs(WRITER)) {
            List<Long> ids = insertReturningIds(c, "s1", "s2");
            c.createStatement().executeUpdate("DELETE FROM table1 WHERE id = " + ids.get(0));
            long absent = MeshNames.firstKey(5) + 1;
            List<RowState> states = node.rowStates(new RowStatesRequest(DB, "table1", List.of(ids.get(0), ids.get(1),
                    absent))).rows();
            assertThat(states).extracting(RowState::id).containsExactly(ids.get(0), ids.get(1), absent);
            assertThat(states.get(0).row()).isNull();
            assertThat(states.get(0).tombstones()).singleElement().satisfies(t -> assertThat(t.deletedBy()).isEqualTo(2));
            assertThat(states.get(1).row().values()).containsEntry("col2", "s2");
            assertThat(states.get(1).row().modifiedBy()).isEqualTo(2);
            assertThat(states.get(2)).isEqualTo(new RowState(absent, null, List.of()));

            // as from node5: its row, and a delete of s2 made after s2 was written
            RowVersion fromNode5 = new RowVersion("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:00.000000Z", 5,
                    null, null, java.util.Map.of("id", Long.toString(absent), "col1", "v", "col2", "repaired"));
            Tombstone deleteS2 = new Tombstone(Instant.now().plusSeconds(1).toString(), 5,
                    states.get(1).row().modifiedTs(), 2);
            RepairRowsRequest repair = new RepairRowsRequest(DB, "table1", List.of(new RowState(absent, fromNode5, List.of()),
                    new RowState(ids.get(1), null, List.of(deleteS2))));
            StepResult first = node.repairRows(repair);
            assertThat(first.actions()).hasSize(2).anyMatch(a -> a.contains("id " + absent + ": absent ->"))
                    .anyMatch(a -> a.contains("id " + ids.get(1)) && a.endsWith("-> absent"));
            assertThat(node.repairRows(repair).actions()).as("applied again: nothing to change").isEmpty();
            List<RowState> after = node.rowStates(new RowStatesRequest(DB, "table1", List.of(ids.get(1), absent))).rows();
            assertThat(after.get(0).row()).isNull();
            assertThat(after.get(0).tombstones()).extracting(Tombstone::deletedBy).contains(5);
            assertThat(after.get(1).row().values()).containsEntry("col2", "repaired");
            assertThat(after.get(1).row().modifiedBy()).isEqualTo(5);
        }
        NodeRpcException e = assertThrows(NodeRpcException.class, () -> node.rowStates(new RowStatesRequest(DB, "table1",
                java.util.stream.LongStream.rangeClosed(1, RowStatesRequest.MAX_IDS + 1).boxed().toList())));
        assertThat(e.errorCode()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("request.ids");
    }

    @Test
    @Order(14)
    void slotsReportTheWalTheyHoldBackUnderTheConfiguredLimit() throws Exception {
        var limit = container.execInContainer("psql", "-XAtc", "SHOW max_slot_wal_keep_size");
        assertThat(limit.getStdout().trim()).as("the default limit, 4096 MiB").isEqualTo("4GB");
        String slot = "sub_node9_node2_table1";
        node.ensureSlot(new SlotRequest(DB, slot));
        try {
            io.pgmesh.protocol.SlotRetention before = slotNamed(slot);
            assertThat(before.walStatus()).isEqualTo("reserved");
            try (Connection c = connectAs(WRITER)) {
                insertReturningIds(c, java.util.Collections.nCopies(200, "wal held back").toArray(String[]::new));
            }
            assertThat(slotNamed(slot).retainedBytes()).as("nobody consumes the slot: it holds the new WAL back")
                    .isGreaterThan(before.retainedBytes());
            assertThat(slotNamed(slot).lost()).isFalse();
        } finally {
            node.dropSlot(new SlotRequest(DB, slot));
        }
        assertThat(node.replicationProgress().slots()).extracting(io.pgmesh.protocol.SlotRetention::slot)
                .doesNotContain(slot);
    }

    private static io.pgmesh.protocol.SlotRetention slotNamed(String slot) {
        return node.replicationProgress().slots().stream().filter(s -> s.slot().equals(slot)).findFirst()
                .orElseThrow(() -> new AssertionError("no slot " + slot + " in " + node.replicationProgress().slots()));
    }

    /** The node's JDBC URL as users get it: TLS, its certificate verified against the CA. */
    private static String url(String database) {
        return io.pgmesh.orchestrator.cluster.ClusterContext.jdbcUrl(new io.pgmesh.orchestrator.runtime.Endpoint(
                "127.0.0.1", container.getMappedPort(5432)), database, pki.caFile());
    }

    private static Connection connectAs(Credentials login) throws java.sql.SQLException {
        Properties props = new Properties();
        props.setProperty("user", login.user());
        props.setProperty("password", login.password());
        return java.sql.DriverManager.getConnection(url(DB), props);
    }

    private static List<Long> insertReturningIds(Connection c, String... col2) throws java.sql.SQLException {
        List<Long> ids = new java.util.ArrayList<>();
        for (String value : col2) {
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
                insert.setString(1, value);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

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
        // over TLS 1.3, shutdownOutput sends close_notify: the daemon still answers every complete request
        try (Socket s = daemonSocket(30_000)) {
            try {
                s.getOutputStream().write(frame);
                s.shutdownOutput();
            } catch (java.net.SocketException | javax.net.ssl.SSLException closedEarly) {
                // the daemon may close a connection before it read everything (e.g. over 1 MiB)
            }
            List<String> lines = new java.util.ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.net.SocketException | javax.net.ssl.SSLException reset) {
                // closed by the daemon after an oversized or corrupt frame
            }
            return lines;
        }
    }

    /** A raw TLS connection to the daemon with the orchestrator's certificate, for frames no client would send. */
    private static Socket daemonSocket(int soTimeoutMillis) throws java.io.IOException {
        return pki.clientTls().connect(new java.net.InetSocketAddress("127.0.0.1",
                container.getMappedPort(64000)), 5_000, soTimeoutMillis);
    }

    private static String rawCall(String request) throws Exception {
        try (Socket s = daemonSocket(10_000)) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
