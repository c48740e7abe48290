package io.pgmesh.orchestrator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.node.rpc.NodeErrorResolver;
import io.pgmesh.node.rpc.RpcDispatcher;
import io.pgmesh.node.rpc.RpcServer;
import io.pgmesh.node.rpc.RpcTls;
import io.pgmesh.node.rpc.SharedSecretGuard;
import io.pgmesh.node.rpc.TestPki;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client over mutual TLS: against a fake daemon on port 0 (framing, named params, errors, reconnecting within
 * its window) and against the daemon's real {@link RpcServer} (a daemon certificate from another CA, or without the
 * address dialled in its SANs, is refused at once, without retrying).
 */
class NodeRpcClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "the-cluster-secret-of-this-test";
    private static TestPki.Ca ca;
    private static TestPki.Ca foreignCa;
    private static TestPki.Issued daemonCert;
    /** The orchestrator's TLS: its certificate from {@code ca}, trusting {@code ca}. */
    private static ClientTls tls;
    private FakeDaemon daemon;
    private RpcServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue(@TempDir Path clientDir) throws Exception {
        ca = TestPki.newCa("pgmesh test cluster CA");
        foreignCa = TestPki.newCa("another cluster's CA");
        daemonCert = ca.server();
        TestPki.writeClientFiles(clientDir, "orchestrator", ca.client(TlsFiles.ORCHESTRATOR_CN), ca.certificate());
        tls = ClientTls.load(clientDir.resolve("orchestrator-ca.crt"), clientDir.resolve("orchestrator.crt"),
                clientDir.resolve("orchestrator.key"));
    }

    @AfterEach
    void stop() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void callsTheDaemonsTlsServer() throws Exception {
        int port = realDaemon(daemonCert);
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node7", port, Duration.ofSeconds(5), SECRET, tls)) {
            assertThat(client.api().status().node()).isEqualTo("node7");
            assertThat(client.api().status().index()).isEqualTo(7);
        }
    }

    @Test
    void aDaemonCertificateWithoutTheDialledAddressIsRefusedAtOnce() throws Exception {
        int port = realDaemon(ca.server("node7", List.of("10.0.0.7"), List.of("node7")));
        assertRefusedFast(port, "No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void aDaemonCertificateOfAForeignCaIsRefusedAtOnce() throws Exception {
        int port = realDaemon(foreignCa.server());
        assertRefusedFast(port, "PKIX path");
    }

    @Test
    void aClientCertificateTheDaemonRefusesFailsAtOnce() throws Exception {
        Path clientDir = dir.resolve("replicator");
        TestPki.writeClientFiles(clientDir, "replicator", foreignCa.client(TlsFiles.ORCHESTRATOR_CN),
                ca.certificate());
        ClientTls stranger = ClientTls.load(clientDir.resolve("replicator-ca.crt"),
                clientDir.resolve("replicator.crt"), clientDir.resolve("replicator.key"));
        int port = realDaemon(daemonCert);
        long started = System.nanoTime();
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node7", port, Duration.ofSeconds(5), SECRET, stranger,
                Duration.ofSeconds(30))) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
            assertThat(e.getMessage()).contains("[node7] daemon at 127.0.0.1:" + port + " refused TLS for status: ")
                    .endsWith("(is its certificate from this cluster's CA?)");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried for the 30 s window")
                .isLessThan(Duration.ofSeconds(5));
    }

    private void assertRefusedFast(int port, String reason) {
        long started = System.nanoTime();
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node7", port, Duration.ofSeconds(5), SECRET, tls,
                Duration.ofSeconds(30))) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
            assertThat(e.getMessage()).startsWith("[node7] daemon at 127.0.0.1:" + port + " refused TLS for status: ")
                    .contains(reason).endsWith("(is its certificate from this cluster's CA?)");
            assertThat(e.getMessage()).doesNotContain("attempts over");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried for the 30 s window")
                .isLessThan(Duration.ofSeconds(5));
    }

    /** The daemon's own RpcServer serving {@code certificate}, a NodeRpc that answers status only behind it. */
    private int realDaemon(TestPki.Issued certificate) throws Exception {
        Path tlsDir = dir.resolve("daemon-tls");
        TestPki.writeTlsDir(tlsDir, certificate, List.of(ca.certificate()), List.of(ca.crl()));
        NodeRpc statusOnly = (NodeRpc) java.lang.reflect.Proxy.newProxyInstance(NodeRpc.class.getClassLoader(),
                new Class<?>[]{NodeRpc.class}, (proxy, method, args) -> {
                    if (method.getName().equals("status")) {
                        return new NodeStatus("node7", 7, "c", true, "17", null, List.of(), List.of(), Map.of());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        server = new RpcServer(new RpcDispatcher(JSON, statusOnly, NodeRpc.class, new NodeErrorResolver(() -> "node7"),
                new SharedSecretGuard(SECRET, () -> "node7")), RpcTls.load(tlsDir), Executors.newFixedThreadPool(2));
        return server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @Test
    void sendsNamedParamsAndReadsTypedResults() throws Exception {
        daemon = new FakeDaemon(req -> result(req, JSON.valueToTree(new StepResult("node1", List.of("created role x")))));
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node1", daemon.port(), Duration.ofSeconds(5), SECRET, tls)) {
            StepResult r = client.api().initDatabase(new DatabaseSpec("lb-test", new Credentials("a", "b"),
                    new Credentials("r", "s"), new Credentials("w", "x"), new Credentials("t", "u")));
            assertThat(r.actions()).containsExactly("created role x");
        }
        JsonNode request = daemon.requests.get(0);
        assertThat(request.get("method").asText()).isEqualTo("initDatabase");
        assertThat(request.get("auth").asText()).as("every call carries the cluster secret").isEqualTo(SECRET);
        assertThat(request.get("params").get("database").get("name").asText()).isEqualTo("lb-test");
    }

    @Test
    void manySequentialCallsShareOneConnection() throws Exception {
        daemon = new FakeDaemon(req -> result(req, JSON.valueToTree(
                new NodeStatus("node0", 0, "c", true, "17.6", "lb-test", List.of(), List.of(), Map.of()))));
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node0", daemon.port(), Duration.ofSeconds(5), SECRET, tls)) {
            for (int i = 0; i < 50; i++) {
                assertThat(client.api().status().postgresUp()).isTrue();
            }
        }
        assertThat(daemon.requests).hasSize(50);
        assertThat(daemon.connections.get()).isEqualTo(1);
    }

    @Test
    void applicationErrorsCarryCodeSqlStateAndField() throws Exception {
        daemon = new FakeDaemon(req -> {
            ObjectNode error = JSON.createObjectNode();
            error.put("code", RpcErrorCode.PG_ERROR.code());
            error.put("message", "[node1] could not create subscription: boom (SQLSTATE 08006)");
            ObjectNode data = error.putObject("data");
            data.put("node", "node1");
            data.put("errorCode", "PG_ERROR");
            data.put("sqlState", "08006");
            ObjectNode response = JSON.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.set("id", req.get("id"));
            response.set("error", error);
            return response;
        });
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node1", daemon.port(), Duration.ofSeconds(5), SECRET, tls)) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.errorCode()).isEqualTo(RpcErrorCode.PG_ERROR);
            assertThat(e.sqlState()).isEqualTo("08006");
            assertThat(e.node()).isEqualTo("node1");
            assertThat(e.getMessage()).startsWith("[node1] could not create subscription");
        }
    }

    @Test
    void theMessageIsTheDetailPrefixedOnceWhateverTheDaemonSent() throws Exception {
        // a current daemon: data.detail; an older one: only the prefixed message; a standard error: no data
        List<ObjectNode> errors = List.of(
                error(RpcErrorCode.NOT_CONFIGURED.code(), "[node1] no topology yet", "no topology yet"),
                error(RpcErrorCode.NOT_CONFIGURED.code(), "[node1] no topology yet", null),
                error(-32601, "method not found", null));
        // (-32601 is what a daemon of an older pgmesh answers to a call it does not have)
        AtomicInteger next = new AtomicInteger();
        daemon = new FakeDaemon(req -> {
            ObjectNode response = JSON.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.set("id", req.get("id"));
            response.set("error", errors.get(next.getAndIncrement()));
            return response;
        });
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node1", daemon.port(), Duration.ofSeconds(5), SECRET, tls)) {
            for (int i = 0; i < 2; i++) {
                NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
                assertThat(e.getMessage()).isEqualTo("[node1] no topology yet");
                assertThat(e.detail()).isEqualTo("no topology yet");
            }
            NodeRpcException standard = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(standard.getMessage()).isEqualTo("[node1] status: this node's daemon does not know this call"
                    + " (it runs an older pgmesh); 'pgmesh upgrade' moves every node to this version");
            assertThat(standard.errorCode()).isNull();
        }
    }

    private static ObjectNode error(int code, String message, String detail) {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        if (detail != null) {
            ObjectNode data = error.putObject("data");
            data.put("node", "node1");
            data.put("errorCode", RpcErrorCode.fromCode(code).name());
            data.put("detail", detail);
        }
        return error;
    }

    @Test
    void reconnectsWhenTheDaemonDroppedTheConnection() throws Exception {
        daemon = new FakeDaemon(req -> result(req, JSON.valueToTree(
                new NodeStatus("node0", 0, "c", true, "17.6", null, List.of(), List.of(), Map.of()))));
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node0", daemon.port(), Duration.ofSeconds(5), SECRET, tls)) {
            client.api().status();
            daemon.dropConnections();
            assertThat(client.api().status().node()).isEqualTo("node0");
        }
        assertThat(daemon.connections.get()).isEqualTo(2);
    }

    @Test
    void keepsReconnectingWhileTheDaemonRestarts() throws Exception {
        daemon = new FakeDaemon(req -> result(req, JSON.valueToTree(
                new NodeStatus("node0", 0, "c", true, "17.6", null, List.of(), List.of(), Map.of()))));
        daemon.dropNextConnections(4); // what docker-proxy does while nothing listens in the container
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node0", daemon.port(), Duration.ofSeconds(5), SECRET, tls,
                Duration.ofSeconds(30))) {
            assertThat(client.api().status().node()).isEqualTo("node0");
        }
        assertThat(daemon.connections.get()).as("4 dropped connections, then the one that was answered").isEqualTo(5);
        assertThat(daemon.requests).hasSize(1);
    }

    @Test
    void givesUpWhenTheReconnectWindowHasPassed() throws Exception {
        daemon = new FakeDaemon(req -> result(req, JSON.valueToTree(
                new NodeStatus("node2", 2, "c", true, "17.6", null, List.of(), List.of(), Map.of()))));
        daemon.dropNextConnections(Integer.MAX_VALUE);
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node2", daemon.port(), Duration.ofSeconds(5), SECRET, tls,
                Duration.ofMillis(400))) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
            assertThat(e.getMessage()).contains("[node2]").contains("did not answer status").contains("attempts over");
        }
        assertThat(daemon.connections.get()).as("retried within the window, then stopped").isBetween(2, 5);
        assertThat(daemon.requests).isEmpty();
    }

    @Test
    void aCallWithoutAnswerIsNotRetried() throws Exception {
        daemon = new FakeDaemon(req -> null); // reads the request, never answers
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node1", daemon.port(), Duration.ofMillis(300), SECRET, tls,
                Duration.ofSeconds(30))) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
            assertThat(e.getMessage()).contains("no answer within 300 ms");
        }
        assertThat(daemon.connections.get()).isEqualTo(1);
        assertThat(daemon.requests).hasSize(1);
    }

    @Test
    void theDefaultReconnectWindowNeverExceedsTheCallTimeout() throws Exception {
        daemon = new FakeDaemon(req -> null);
        daemon.dropNextConnections(Integer.MAX_VALUE);
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node1", daemon.port(), Duration.ofMillis(250), SECRET, tls)) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
        }
        assertThat(daemon.connections.get()).as("a 250 ms window holds at most 3 attempts (pauses 100, 200 ms)")
                .isBetween(1, 3);
    }

    @Test
    void unreachableDaemonIsATransportFailureNamingNodeAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (NodeRpcClient client = NodeRpcClient.forLocalPort("node3", port, Duration.ofSeconds(2), SECRET, tls)) {
            NodeRpcException e = assertThrows(NodeRpcException.class, () -> client.api().status());
            assertThat(e.isTransportFailure()).isTrue();
            assertThat(e.getMessage()).contains("[node3]").contains("127.0.0.1:" + port).contains("status");
        }
    }

    private static JsonNode result(JsonNode request, JsonNode result) {
        ObjectNode response = JSON.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        response.set("result", result);
        return response;
    }

    /**
     * Answers each JSON object it reads with {@code answer(request)} followed by '\n', like the daemon, over TLS with
     * the daemon's certificate (client certificate required).
     */
    private static final class FakeDaemon implements AutoCloseable {
        final List<JsonNode> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger toDrop = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final ServerSocket server;

        FakeDaemon(Function<JsonNode, JsonNode> answer) throws Exception {
            SSLContext context = TestPki.serverContext(daemonCert, ca.certificate());
            SSLServerSocket tlsServer = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                    java.net.InetAddress.getLoopbackAddress());
            tlsServer.setNeedClientAuth(true);
            server = tlsServer;
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        if (toDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                            s.close();
                            continue;
                        }
                        open.add(s);
                        Thread t = new Thread(() -> serve(s, answer));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket s, Function<JsonNode, JsonNode> answer) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                var parser = JSON.getFactory().createParser(in);
                while (true) {
                    JsonNode request = JSON.readTree(parser);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    JsonNode response = answer.apply(request);
                    if (response == null) {
                        continue;
                    }
                    out.write((JSON.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        /** Closes the next {@code count} accepted connections at once, before reading anything. */
        void dropNextConnections(int count) {
            toDrop.set(count);
        }

        void dropConnections() throws IOException {
            for (Socket s : open) {
                s.close();
            }
            open.clear();
        }

        @Override
        public void close() throws IOException {
            dropConnections();
            server.close();
        }
    }
}
