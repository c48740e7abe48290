package io.pgmesh.orchestrator.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** docker-java clients for the lab hosts' engines: {@code tcp://<address>:2376} with the lab's client certificate. */
public final class LabEngines {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private LabEngines() {
    }

    /** An engine: its docker-java client and the HTTP client under it (for calls docker-java lacks). */
    record Engine(DockerClient client, DockerHttpClient http) implements AutoCloseable {

        /** POSTs a JSON body; returns the status code and the body. */
        Response post(String path, String json) throws IOException {
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST)
                    .path(path)
                    .putHeader("Content-Type", "application/json")
                    .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                    .build();
            try (DockerHttpClient.Response r = http.execute(request); InputStream body = r.getBody()) {
                return new Response(r.getStatusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // nothing held that matters
            }
        }
    }

    record Response(int status, String body) {
    }

    /**
     * A client for the engine at {@code dockerHost} (e.g. {@code tcp://172.29.10.11:2376}) that authenticates with
     * the certificates in {@code certDir} (ca.pem, cert.pem, key.pem) and verifies the engine against ca.pem.
     * Nothing is sent until the first call.
     */
    public static DockerClient tlsClient(String dockerHost, Path certDir) {
        return engine(dockerHost, certDir).client();
    }

    static Engine engine(String dockerHost, Path certDir) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(true)
                .withDockerCertPath(certDir.toAbsolutePath().toString())
                .build();
        return engine(config);
    }

    /** A client without TLS: the lab's engines refuse it (a test of that). */
    public static DockerClient plainClient(String dockerHost) {
        return engine(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false)
                .build()).client();
    }

    private static Engine engine(DockerClientConfig config) {
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return new Engine(DockerClientImpl.getInstance(config, http), http);
    }
}
