package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;

import static io.pgmesh.node.rpc.RpcServerTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Whom the TLS-only server admits, what it logs when it refuses, and what {@link RpcTls#reload()} changes. */
class RpcServerTlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestPki.Ca ca;
    static TestPki.Ca foreignCa;
    static TestPki.Issued serverCert;
    static TestPki.Issued orchestrator;

    @TempDir
    Path tlsDir;
    private RpcTls tls;
    private RpcServer server;
    private InetSocketAddress address;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeAll
    static void issue() throws Exception {
        ca = TestPki.newCa("pgmesh test cluster CA");
        foreignCa = TestPki.newCa("another cluster's CA");
        serverCert = ca.server();
        orchestrator = ca.client(TlsFiles.ORCHESTRATOR_CN);
    }

    @BeforeEach
    void start() throws Exception {
        TestPki.writeTlsDir(tlsDir, serverCert, List.of(ca.certificate()), List.of(ca.crl()));
        tls = RpcTls.load(tlsDir);
        server = new RpcServer(new RpcDispatcher(JSON, new RpcServerTest.FakeNode(), NodeRpc.class,
                new NodeErrorResolver(() -> "node7"), new SharedSecretGuard(RpcServerTest.SECRET, () -> "node7")),
                tls, Executors.newFixedThreadPool(2));
        address = server.start(new InetSocketAddress("127.0.0.1", 0));
        // slf4j-simple writes to whatever System.err is at the time of each line
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(stderr);
        server.close();
    }

    @Test
    void theOrchestratorsCertificateIsServed() throws Exception {
        try (SSLSocket s = TestPki.connect(TestPki.clientContext(orchestrator, ca.certificate()), address)) {
            assertThat(call(s, 1)).contains("\"id\":1").contains("\"result\"");
        }
    }

    @Test
    void aTls12ClientIsServedToo() throws Exception {
        SSLContext context = TestPki.clientContext(orchestrator, ca.certificate());
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(),
                address.getPort())) {
            s.setEnabledProtocols(new String[]{"TLSv1.2"});
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(call(s, 7)).contains("\"id\":7").contains("\"result\"");
        }
    }

    @Test
    void aPlainTextClientIsClosedWithoutAnAnswerAndTheWarningSaysPlainText() throws Exception {
        try (Socket plain = new Socket(address.getAddress(), address.getPort())) {
            plain.setSoTimeout(10_000);
            String answer;
            try {
                plain.getOutputStream().write(request(1, "status").getBytes(StandardCharsets.UTF_8));
                answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException reset) {
                answer = "";
            }
            assertThat(answer).doesNotContain("jsonrpc");
        }
        awaitWarning("plain text (not TLS)");
    }

    @Test
    void aClientCertificateOfAForeignCaIsRefused() throws Exception {
        assertRefused(TestPki.clientContext(foreignCa.client(TlsFiles.ORCHESTRATOR_CN), ca.certificate()));
        awaitWarning("TLS handshake failed");
    }

    @Test
    void aCertificateOfTheClusterCaThatIsNotTheOrchestratorsIsRefusedNamingItsSubject() throws Exception {
        assertRefused(TestPki.clientContext(ca.client("replicator"), ca.certificate()));
        awaitWarning("not the orchestrator's (subject CN=replicator");
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        assertRefused(TestPki.clientContext(null, ca.certificate()));
        awaitWarning("TLS handshake failed");
    }

    @Test
    void anExpiredOrchestratorCertificateIsRefused() throws Exception {
        TestPki.Issued expired = ca.client(TlsFiles.ORCHESTRATOR_CN, Instant.now().minus(Duration.ofMinutes(1)));
        assertRefused(TestPki.clientContext(expired, ca.certificate()));
        awaitWarning("TLS handshake failed");
    }

    @Test
    void afterReloadARevokedCertificateIsRefusedWhileAConnectionOpenedBeforeStillGetsAnswers() throws Exception {
        SSLContext orchestratorTls = TestPki.clientContext(orchestrator, ca.certificate());
        try (SSLSocket before = TestPki.connect(orchestratorTls, address)) {
            assertThat(call(before, 1)).contains("\"result\"");
            TestPki.writeCrls(tlsDir, List.of(ca.crl(orchestrator.serial())));
            tls.reload();
            assertRefused(orchestratorTls);
            awaitWarning("revoked");
            assertThat(call(before, 2)).as("the connection opened before the reload").contains("\"id\":2")
                    .contains("\"result\"");
        }
    }

    @Test
    void aCaWithoutCrlAdmitsNobodyWhileTheOtherCaStillDoes() throws Exception {
        // two CAs trusted (a CA roll), a CRL for the first only: the second's certificates have no known status
        TestPki.writeTlsDir(tlsDir, serverCert, List.of(ca.certificate(), foreignCa.certificate()),
                List.of(ca.crl()));
        tls.reload();
        assertRefused(TestPki.clientContext(foreignCa.client(TlsFiles.ORCHESTRATOR_CN), ca.certificate()));
        try (SSLSocket s = TestPki.connect(TestPki.clientContext(orchestrator, ca.certificate()), address)) {
            assertThat(call(s, 3)).contains("\"result\"");
        }
        TestPki.writeCrls(tlsDir, List.of(ca.crl(), foreignCa.crl()));
        tls.reload();
        try (SSLSocket s = TestPki.connect(TestPki.clientContext(foreignCa.client(TlsFiles.ORCHESTRATOR_CN),
                ca.certificate()), address)) {
            assertThat(call(s, 4)).as("both CAs with their CRLs").contains("\"result\"");
        }
    }

    @Test
    void afterReloadANewConnectionSeesTheNewServerCertificate() throws Exception {
        TestPki.Issued renewed = ca.server("node7-renewed", List.of("127.0.0.1"), List.of("localhost"));
        TestPki.writeServer(tlsDir, renewed);
        tls.reload();
        assertThat(tls.serverCertificate()).isEqualTo(renewed.certificate());
        try (SSLSocket s = TestPki.connect(TestPki.clientContext(orchestrator, ca.certificate()), address)) {
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(renewed.certificate());
            assertThat(call(s, 5)).contains("\"result\"");
        }
    }

    @Test
    void aFailedReloadKeepsTheMaterialInUseAndNamesTheFile() throws Exception {
        Files.writeString(tlsDir.resolve(TlsFiles.CRL), "-----BEGIN X509 CRL-----\nnot a crl\n-----END X509 CRL-----\n");
        assertThatThrownBy(() -> tls.reload()).isInstanceOf(IOException.class).hasMessageContaining(TlsFiles.CRL);
        try (SSLSocket s = TestPki.connect(TestPki.clientContext(orchestrator, ca.certificate()), address)) {
            assertThat(call(s, 6)).contains("\"result\"");
        }
    }

    @Test
    void loadNamesTheFileThatIsMissingOrWrong(@TempDir Path other) throws Exception {
        TestPki.writeTlsDir(other, serverCert, List.of(ca.certificate()), List.of(ca.crl()));
        Files.delete(other.resolve(TlsFiles.CA));
        assertThatThrownBy(() -> RpcTls.load(other)).isInstanceOf(IOException.class)
                .hasMessageContaining(TlsFiles.CA);
        TestPki.writeTlsDir(other, serverCert, List.of(ca.certificate()), List.of(ca.crl()));
        TestPki.Issued stranger = ca.server();
        Files.writeString(other.resolve(TlsFiles.SERVER_KEY), TestPki.pem("PRIVATE KEY", stranger.key().getEncoded()));
        assertThatThrownBy(() -> RpcTls.load(other)).isInstanceOf(IOException.class)
                .hasMessageContaining(TlsFiles.SERVER_KEY).hasMessageContaining("is not the key of");
        Files.writeString(other.resolve(TlsFiles.SERVER_KEY), "-----BEGIN EC PRIVATE KEY-----\nAA==\n"
                + "-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> RpcTls.load(other)).isInstanceOf(IOException.class)
                .hasMessageContaining(TlsFiles.SERVER_KEY).hasMessageContaining("PKCS#8");
    }

    /** The connection never answers: the handshake fails, or the server closes it before any JSON comes back. */
    private void assertRefused(SSLContext context) {
        String answer;
        try (SSLSocket s = TestPki.connect(context, address)) {
            answer = call(s, 99);
        } catch (IOException refused) {
            answer = null;
        }
        assertThat(answer).as("an answer to a refused client").isNull();
    }

    /** Sends a status call and returns the answer line, or null at end of stream. */
    private static String call(SSLSocket s, int id) throws IOException {
        s.getOutputStream().write(request(id, "status").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private void awaitWarning(String reason) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.toString(StandardCharsets.UTF_8))
                .containsPattern("WARN OrchestratorGate - refused JSON-RPC connection from /127\\.0\\.0\\.1:\\d+: .*"
                        + java.util.regex.Pattern.quote(reason)));
    }

    /** Writes to both streams: the test's log stays visible in the build output. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
