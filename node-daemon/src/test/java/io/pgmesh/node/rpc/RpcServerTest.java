package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.TableDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The server over a real TLS socket (the orchestrator's client certificate), with a fake NodeRpc behind it. */
class RpcServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "s3cret-of-this-test-cluster";
    /** The auth member every admitted call carries. */
    static final String AUTH = "\"auth\":\"" + SECRET + "\",";

    /** Answers status, echoes the topology's node name, fails initDatabase the way a node would. */
    static class FakeNode implements NodeRpc {
        @Override
        public StepResult updateNetworkTopology(NetworkTopology topology) {
            return new StepResult(topology.nodeName(), List.of("stored topology"));
        }

        @Override
        public StepResult initDatabase(DatabaseSpec database) {
            throw new NodeOperationException(RpcErrorCode.PG_ERROR, "node7",
                    "could not create database x: boom (SQLSTATE 42501)", "42501", null);
        }

        @Override
        public StepResult createReplicaTable(ReplicaTableRequest request) {
            throw new IllegalStateException("bug");
        }

        @Override
        public StepResult subscribeToNode(SubscribeRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public NodeStatus status() {
            return new NodeStatus("node7", 7, "c", true, "17", null, List.of(), List.of(), java.util.Map.of("t", 3L));
        }

        @Override
        public ReplicationProgress replicationProgress() {
            return new ReplicationProgress("node7", io.pgmesh.protocol.Lsn.parse("0/0"), List.of());
        }

        @Override
        public TableDigest digestTable(DigestRequest request) {
            return new TableDigest("node7", request.table(), 0, "0", List.of(), null);
        }

        @Override
        public io.pgmesh.protocol.SlotInfo ensureSlot(io.pgmesh.protocol.SlotRequest request) {
            return new io.pgmesh.protocol.SlotInfo("node7", request.slotName(), io.pgmesh.protocol.Lsn.parse("0/1A2B3C4"), true);
        }

        @Override
        public StepResult dropSlot(io.pgmesh.protocol.SlotRequest request) {
            return new StepResult("node7", List.of("dropped replication slot " + request.slotName()));
        }

        @Override
        public StepResult installTls(io.pgmesh.protocol.TlsInstallRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public StepResult setSubscriptionsEnabled(io.pgmesh.protocol.EnableRequest request) {
            return new StepResult("node7", request.tables().stream()
                    .map(t -> (request.enabled() ? "enabled" : "disabled") + " subscription sub_node7_"
                            + request.peer() + "_" + t).toList());
        }

        @Override
        public StepResult dropSubscriptionsTo(io.pgmesh.protocol.PeerRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public RowHashes rowHashes(RowHashRequest request) {
            return new RowHashes("node7", request.table(), List.of());
        }

        @Override
        public StepResult continueKeyRange(io.pgmesh.protocol.KeyRangeRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public io.pgmesh.protocol.UnsettledKeys unsettledKeys(io.pgmesh.protocol.UnsettledKeysRequest request) {
            return new io.pgmesh.protocol.UnsettledKeys("node7", request.table(), List.of(), true);
        }

        @Override
        public io.pgmesh.protocol.ChangeHorizon changeHorizon(io.pgmesh.protocol.HorizonRequest request) {
            return new io.pgmesh.protocol.ChangeHorizon("node7", 7, "2026-11-27T13:00:00.000000Z", null);
        }

        @Override
        public io.pgmesh.protocol.RowStates rowStates(io.pgmesh.protocol.RowStatesRequest request) {
            return new io.pgmesh.protocol.RowStates("node7", request.table(), List.of());
        }

        @Override
        public StepResult repairRows(io.pgmesh.protocol.RepairRowsRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public io.pgmesh.protocol.RowExplanation explainRow(io.pgmesh.protocol.ExplainRequest request) {
            return new io.pgmesh.protocol.RowExplanation("node7", request.table(), request.id(), null, List.of(),
                    List.of());
        }

        @Override
        public StepResult awaitTransactionsStartedBefore(io.pgmesh.protocol.TransactionWaitRequest request) {
            return new StepResult("node7", List.of());
        }

        @Override
        public StepResult pruneHistory(io.pgmesh.protocol.PruneRequest request) {
            return new StepResult("node7", List.of("pruned 2 tombstones of " + request.tables().get(0)
                    + " older than " + request.cutoff()));
        }

        @Override
        public io.pgmesh.protocol.TransferJob startDump(io.pgmesh.protocol.DumpRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.pgmesh.protocol.TransferJob startLoad(io.pgmesh.protocol.LoadRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.pgmesh.protocol.TransferJob transferJob(io.pgmesh.protocol.JobRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.pgmesh.protocol.FileChunk readJobChunk(io.pgmesh.protocol.ChunkRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StepResult writeJobChunk(io.pgmesh.protocol.ChunkWrite request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StepResult removeJob(io.pgmesh.protocol.JobRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.pgmesh.protocol.TableChecksums tableChecksums(io.pgmesh.protocol.ChecksumRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    static TestPki.Ca ca;
    static TestPki.Issued serverCert;
    static TestPki.Issued orchestrator;
    /** The orchestrator's TLS: its certificate, trusting the cluster's CA. */
    static SSLContext orchestratorTls;

    @TempDir
    Path tlsDir;
    private RpcTls tls;
    private RpcServer server;
    private InetSocketAddress address;

    @BeforeAll
    static void issue() throws Exception {
        ca = TestPki.newCa("pgmesh test cluster CA");
        serverCert = ca.server();
        orchestrator = ca.client(io.pgmesh.protocol.TlsFiles.ORCHESTRATOR_CN);
        orchestratorTls = TestPki.clientContext(orchestrator, ca.certificate());
    }

    @BeforeEach
    void start() throws Exception {
        TestPki.writeTlsDir(tlsDir, serverCert, List.of(ca.certificate()), List.of(ca.crl()));
        tls = RpcTls.load(tlsDir);
        RpcDispatcher dispatcher = new RpcDispatcher(JSON, new FakeNode(), NodeRpc.class,
                new NodeErrorResolver(() -> "node7"), new SharedSecretGuard(SECRET, () -> "node7"));
        server = new RpcServer(dispatcher, tls, Executors.newFixedThreadPool(2));
        address = server.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersACall() throws IOException {
        try (Client c = new Client()) {
            JsonNode response = c.call("{" + AUTH + "\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}");
            assertThat(response.get("id").asInt()).isEqualTo(1);
            assertThat(response.at("/result/node").asText()).isEqualTo("node7");
            assertThat(response.at("/result/index").asInt()).isEqualTo(7);
            assertThat(response.at("/result/conflicts/t").asLong()).isEqualTo(3);
        }
    }

    @Test
    void joinAndRemovalMethodsTakeTheirRequestsByName() throws IOException {
        try (Client c = new Client()) {
            JsonNode slot = c.call(request(1, "ensureSlot",
                    "{\"request\":{\"database\":\"db\",\"slotName\":\"sub_node9_node7_t\"}}"));
            assertThat(slot.at("/result/slotName").asText()).isEqualTo("sub_node9_node7_t");
            assertThat(slot.at("/result/lsn").asText()).isEqualTo("0/1A2B3C4");
            assertThat(slot.at("/result/created").asBoolean()).isTrue();
            JsonNode enabled = c.call(request(2, "setSubscriptionsEnabled",
                    "{\"request\":{\"database\":\"db\",\"tables\":[\"t\"],\"peer\":\"node1\",\"enabled\":true}}"));
            assertThat(enabled.at("/result/actions/0").asText()).isEqualTo("enabled subscription sub_node7_node1_t");
            JsonNode dropped = c.call(request(3, "dropSubscriptionsTo",
                    "{\"request\":{\"database\":\"db\",\"tables\":[\"t\"],\"peer\":\"node1\"}}"));
            assertThat(dropped.at("/result/actions").isEmpty()).isTrue();
            assertThat(c.call(request(4, "dropSlot",
                    "{\"request\":{\"database\":\"db\",\"slotName\":\"s\"}}")).at("/result/actions/0").asText())
                    .isEqualTo("dropped replication slot s");
        }
    }

    @Test
    void explainsARow() throws IOException {
        try (Client c = new Client()) {
            JsonNode response = c.call(request(1, "explainRow",
                    "{\"request\":{\"database\":\"db\",\"table\":\"t\",\"id\":2147000001}}"));
            assertThat(response.at("/result/id").asLong()).isEqualTo(2147000001L);
            assertThat(response.at("/result/row").isNull()).isTrue();
            assertThat(response.at("/result/tombstones").isArray()).isTrue();
        }
    }

    @Test
    void answersSequentialAndPipelinedCallsOnOneSocketInOrder() throws IOException {
        try (Client c = new Client()) {
            assertThat(c.call(request(1, "status")).get("id").asInt()).isEqualTo(1);
            assertThat(c.call("{" + AUTH + "\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"updateNetworkTopology\",\"params\":"
                    + "{\"topology\":{\"cluster\":\"c\",\"nodeName\":\"node3\",\"nodeIndex\":3,\"hosts\":[]}}}")
                    .at("/result/node").asText()).isEqualTo("node3");
            c.send(request(3, "status") + request(4, "subscribeToNode", "{\"request\":{}}") + request(5, "status"));
            assertThat(c.read().get("id").asInt()).isEqualTo(3);
            assertThat(c.read().get("id").asInt()).isEqualTo(4);
            assertThat(c.read().get("id").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aCallWithoutTheSecretIsRefusedAndTheConnectionStaysUsable() throws IOException {
        try (Client c = new Client()) {
            JsonNode missing = c.call("{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"status\"}");
            assertThat(missing.get("id").asInt()).isEqualTo(21);
            assertThat(missing.has("result")).isFalse();
            assertThat(missing.at("/error/code").asInt()).isEqualTo(RpcErrorCode.UNAUTHORIZED.code());
            assertThat(missing.at("/error/message").asText()).isEqualTo("[node7] status refused: the call carries no"
                    + " cluster secret (member \"auth\")");
            assertThat(missing.at("/error/data/errorCode").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(c.call(request(22, "status")).at("/result/node").asText()).isEqualTo("node7");
        }
    }

    @Test
    void aWrongOrMistypedSecretIsRefusedWithoutEchoingIt() throws IOException {
        try (Client c = new Client()) {
            for (String auth : new String[]{"\"" + SECRET + "x\"", "\"" + SECRET.substring(1) + "\"", "\"\"", "42", "null",
                    "[\"" + SECRET + "\"]"}) {
                JsonNode refused = c.call("{\"auth\":" + auth + ",\"jsonrpc\":\"2.0\",\"id\":23,"
                        + "\"method\":\"updateNetworkTopology\",\"params\":{\"topology\":{\"cluster\":\"c\","
                        + "\"nodeName\":\"node3\",\"nodeIndex\":3,\"hosts\":[]}}}");
                assertThat(refused.at("/error/code").asInt()).as(auth).isEqualTo(RpcErrorCode.UNAUTHORIZED.code());
                assertThat(refused.toString()).as(auth).doesNotContain(SECRET.substring(1));
            }
        }
    }

    @Test
    void aClientThatShutsDownItsOutputStillGetsEveryAnswerThenAParseErrorForTheRequestItCutShort()
            throws IOException {
        try (Client c = new Client()) {
            c.send(request(31, "status") + request(32, "status") + "{\"jsonrpc\":\"2.0\",\"id\":33,\"method\":\"sta");
            c.socket.shutdownOutput();
            String all = c.readToEnd();
            String[] lines = all.split("\n");
            assertThat(lines).as(all).hasSize(3);
            assertThat(JSON.readTree(lines[0]).get("id").asInt()).isEqualTo(31);
            assertThat(JSON.readTree(lines[1]).get("id").asInt()).isEqualTo(32);
            assertParseErrorWithNullId(JSON.readTree(lines[2]));
        }
    }

    @Test
    void aTruncatedRequestFollowedByAHalfCloseIsAParseErrorThenEndOfStream() throws IOException {
        try (Client c = new Client()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":");
            c.socket.shutdownOutput();
            assertParseErrorWithNullId(c.read());
            assertThat(c.in.readLine()).as("end of stream after the parse error").isNull();
        }
    }

    @Test
    void aCompleteRequestFollowedByAHalfCloseGetsItsAnswerThenEndOfStream() throws IOException {
        try (Client c = new Client()) {
            c.send(request(34, "status"));
            c.socket.shutdownOutput();
            JsonNode answer = c.read();
            assertThat(answer.get("id").asInt()).isEqualTo(34);
            assertThat(answer.at("/result/node").asText()).isEqualTo("node7");
            assertThat(c.in.readLine()).isNull();
        }
    }

    @Test
    void aCloseNotifyWithoutTcpHalfCloseAlsoEndsTheInput() throws IOException {
        // a layered SSLSocket without autoClose sends TLS 1.3 close_notify only: the TCP stream stays open both ways
        Socket tcp = new Socket(address.getAddress(), address.getPort());
        SSLSocket tlsOnly = (SSLSocket) orchestratorTls.getSocketFactory().createSocket(tcp, "127.0.0.1",
                address.getPort(), false);
        tlsOnly.setEnabledProtocols(new String[]{"TLSv1.3"});
        tlsOnly.setSoTimeout(10_000);
        try (tcp; tlsOnly) {
            tlsOnly.getOutputStream().write((request(37, "status") + "{\"jsonrpc\":").getBytes(StandardCharsets.UTF_8));
            tlsOnly.shutdownOutput();
            assertThat(tcp.isOutputShutdown()).as("TCP output still open: only close_notify was sent").isFalse();
            BufferedReader in = new BufferedReader(new InputStreamReader(tlsOnly.getInputStream(), StandardCharsets.UTF_8));
            assertThat(JSON.readTree(in.readLine()).get("id").asInt()).isEqualTo(37);
            assertParseErrorWithNullId(JSON.readTree(in.readLine()));
            assertThat(in.readLine()).as("the server closed after its answers").isNull();
        }
    }

    @Test
    void whitespaceAfterTheLastRequestIsNotAnError() throws IOException {
        try (Client c = new Client()) {
            c.send(request(35, "status") + " \r\n\t\n  ");
            c.socket.shutdownOutput();
            String all = c.readToEnd();
            assertThat(all.split("\n")).as(all).hasSize(1);
            assertThat(JSON.readTree(all).get("id").asInt()).isEqualTo(35);
        }
    }

    @Test
    void anAnswerLargerThanTheSocketBuffersIsWrittenWholeBeforeAHalfClosedConnectionCloses() throws Exception {
        server.close();
        int conflicts = 400_000; // about 10 MB of JSON: more than loopback's send and receive buffers hold
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        NodeRpc bigStatus = new FakeNode() {
            @Override
            public NodeStatus status() {
                java.util.Map<String, Long> many = new java.util.HashMap<>();
                for (int i = 0; i < conflicts; i++) {
                    many.put("table_with_a_long_name_" + i, (long) i);
                }
                answered.set(true);
                return new NodeStatus("node7", 7, "c", true, "17", null, List.of(), List.of(), many);
            }
        };
        RpcDispatcher dispatcher = new RpcDispatcher(JSON, bigStatus, NodeRpc.class,
                new NodeErrorResolver(() -> "node7"), new SharedSecretGuard(SECRET, () -> "node7"));
        server = new RpcServer(dispatcher, tls, Executors.newFixedThreadPool(2));
        address = server.start(new InetSocketAddress("127.0.0.1", 0));
        try (Client c = new Client()) {
            c.send(request(36, "status"));
            c.socket.shutdownOutput();
            // the answer is being written (and fills the buffers) while nobody reads and the input has ended
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilTrue(answered);
            JsonNode answer = c.read();
            assertThat(answer.get("id").asInt()).isEqualTo(36);
            assertThat(answer.at("/result/conflicts").size()).isEqualTo(conflicts);
            assertThat(c.in.readLine()).isNull();
        }
    }

    static void assertParseErrorWithNullId(JsonNode response) {
        assertThat(response.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(response.at("/error/message").asText()).startsWith("Parse error: ");
        assertThat(response.has("id")).isTrue();
        assertThat(response.get("id").isNull()).as("id must be JSON null, not \"null\"").isTrue();
        assertThat(response.has("result")).isFalse();
    }

    @Test
    void malformedJsonIsAParseErrorWithARealNullId() throws IOException {
        try (Client c = new Client()) {
            JsonNode response = c.call("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":}");
            assertThat(response.get("error").get("code").asInt()).isEqualTo(-32700);
            assertThat(response.has("id")).isTrue();
            assertThat(response.get("id").isNull()).as("id must be JSON null, not \"null\"").isTrue();
            // the connection still works afterwards
            assertThat(c.call(request(10, "status")).get("id").asInt()).isEqualTo(10);
        }
    }

    @Test
    void somethingThatIsNotARequestIsInvalidRequest() throws IOException {
        try (Client c = new Client()) {
            JsonNode noMethod = c.call("{\"jsonrpc\":\"2.0\",\"id\":5}");
            assertThat(noMethod.at("/error/code").asInt()).isEqualTo(-32600);
            assertThat(noMethod.get("id").asInt()).isEqualTo(5);
            JsonNode array = c.call("[1,2,3]");
            assertThat(array.at("/error/code").asInt()).isEqualTo(-32600);
            assertThat(array.get("id").isNull()).isTrue();
        }
    }

    @Test
    void unknownMethodIsMethodNotFound() throws IOException {
        try (Client c = new Client()) {
            JsonNode response = c.call(request(6, "dropEverything"));
            assertThat(response.at("/error/code").asInt()).isEqualTo(-32601);
            assertThat(response.get("id").asInt()).isEqualTo(6);
        }
    }

    @Test
    void wrongParamsAreInvalidParams() throws IOException {
        try (Client c = new Client()) {
            assertThat(c.call(request(7, "updateNetworkTopology", "{\"topology\":42}")).at("/error/code").asInt())
                    .isEqualTo(-32602);
            assertThat(c.call(request(8, "updateNetworkTopology", "{\"nope\":{}}")).at("/error/code").asInt())
                    .isEqualTo(-32602);
        }
    }

    @Test
    void applicationErrorsCarryTheirCodeAndData() throws IOException {
        try (Client c = new Client()) {
            JsonNode error = c.call(request(11, "initDatabase", "{\"database\":{\"name\":\"x\"}}")).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(RpcErrorCode.PG_ERROR.code());
            assertThat(error.get("message").asText()).isEqualTo("[node7] could not create database x: boom (SQLSTATE 42501)");
            assertThat(error.at("/data/node").asText()).isEqualTo("node7");
            assertThat(error.at("/data/errorCode").asText()).isEqualTo("PG_ERROR");
            assertThat(error.at("/data/sqlState").asText()).isEqualTo("42501");
            assertThat(error.at("/data/field").isNull()).isTrue();
            assertThat(error.at("/data/detail").asText()).isEqualTo("could not create database x: boom (SQLSTATE 42501)");
        }
    }

    @Test
    void unexpectedExceptionsAreInternal() throws IOException {
        try (Client c = new Client()) {
            JsonNode error = c.call(request(12, "createReplicaTable", "{\"request\":{}}")).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(RpcErrorCode.INTERNAL.code());
            assertThat(error.get("message").asText()).contains("node7").contains("bug");
            assertThat(error.at("/data/errorCode").asText()).isEqualTo("INTERNAL");
        }
    }

    @Test
    void aFrameOverOneMebibyteClosesOnlyThatConnection() throws IOException {
        try (Client bystander = new Client(); Client offender = new Client()) {
            assertThat(bystander.call(request(1, "status")).get("id").asInt()).isEqualTo(1);
            String huge = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\",\"params\":{\"pad\":\""
                    + "x".repeat(RpcServer.MAX_FRAME_BYTES + 10) + "\"}}";
            try {
                offender.send(huge);
            } catch (IOException closedWhileWriting) {
                // the server may close before it read everything
            }
            assertThat(offender.readToEnd()).doesNotContain("\"result\"");
            assertThat(bystander.call(request(3, "status")).get("id").asInt()).isEqualTo(3);
        }
        try (Client fresh = new Client()) {
            assertThat(fresh.call(request(4, "status")).get("id").asInt()).isEqualTo(4);
        }
    }

    @Test
    void justUnderTheLimitIsServed() throws IOException {
        try (Client c = new Client()) {
            String prefix = "{" + AUTH + "\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\",\"pad\":\"";
            String big = prefix + "x".repeat(RpcServer.MAX_FRAME_BYTES - prefix.length() - 2) + "\"}";
            assertThat(c.call(big).get("id").asInt()).isEqualTo(2);
        }
    }

    static String request(int id, String method) {
        return "{" + AUTH + "\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"}";
    }

    static String request(int id, String method, String params) {
        return "{" + AUTH + "\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** A connection with the orchestrator's certificate, TLS 1.3 (so shutdownOutput is a half-close). */
    private final class Client implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client() throws IOException {
            this(orchestratorTls);
        }

        Client(SSLContext context) throws IOException {
            socket = TestPki.connect(context, address);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        JsonNode read() throws IOException {
            String line = in.readLine();
            assertThat(line).as("a response line").isNotNull();
            return JSON.readTree(line);
        }

        JsonNode call(String text) throws IOException {
            send(text);
            return read();
        }

        String readToEnd() throws IOException {
            StringBuilder all = new StringBuilder();
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    all.append(line).append('\n');
                }
            } catch (SocketException | SSLException reset) {
                all.append("<reset>");
            }
            return all.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
