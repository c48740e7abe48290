package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.time.Duration;

/**
 * Connects to the Docker engine and checks that it answers. The engine is the one named by the system property
 * {@value #HOST_PROPERTY} when set (e.g. {@code java -Dpgmesh.docker.host=unix:///run/docker.sock -jar ...}),
 * else by the environment variable DOCKER_HOST, else the local socket /var/run/docker.sock.
 */
public final class DockerEngine {

    /** System property naming the engine (a DOCKER_HOST value); it takes precedence over DOCKER_HOST. */
    public static final String HOST_PROPERTY = "pgmesh.docker.host";

    private DockerEngine() {
    }

    /** A client for the engine; fails with ENGINE_UNREACHABLE and the fix when it does not answer. */
    public static DockerClient connect() {
        String override = System.getProperty(HOST_PROPERTY);
        DockerClientConfig config;
        DockerHttpClient http;
        try {
            DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
            if (override != null && !override.isBlank()) {
                builder.withDockerHost(override.strip());
            }
            config = builder.build();
            http = httpClient(config);
        } catch (RuntimeException e) {
            String env = System.getenv("DOCKER_HOST");
            String setting = override != null && !override.isBlank() ? HOST_PROPERTY + " '" + override.strip() + "'"
                    : env != null ? "DOCKER_HOST '" + env + "'" : "the Docker client configuration";
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    setting + " does not name a usable Docker engine (" + hostProblem(e) + "); set it to e.g."
                            + " unix:///var/run/docker.sock, or unset it", e);
        }
        DockerClient client = DockerClientImpl.getInstance(config, http);
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    "the Docker engine at " + config.getDockerHost() + " does not answer (" + rootMessage(e)
                            + "); start it with: bash docker/ensure-engine.sh (or point DOCKER_HOST at a running"
                            + " engine)", e);
        }
        return client;
    }

    /**
     * A client for the engine at {@code endpoint} (tcp://host:port over TLS with the client certificate in
     * {@code certDir}, or unix://...), checked to answer; {@code what} names it in errors, e.g. "the Swarm manager".
     */
    public static DockerClient connect(String endpoint, java.util.Optional<java.nio.file.Path> certDir, String what) {
        DockerClientConfig config;
        DockerHttpClient http;
        try {
            DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(endpoint).withDockerTlsVerify(certDir.isPresent());
            certDir.ifPresent(dir -> builder.withDockerCertPath(dir.toString()));
            config = builder.build();
            http = httpClient(config);
        } catch (RuntimeException e) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    what + " '" + endpoint + "' is not a usable Docker endpoint (" + hostProblem(e) + ")", e);
        }
        DockerClient client = DockerClientImpl.getInstance(config, http);
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    what + " at " + endpoint + " does not answer (" + rootMessage(e) + ")", e);
        }
        return client;
    }

    private static DockerHttpClient httpClient(DockerClientConfig config) {
        return new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
    }

    /** docker-java fails on a host without a scheme with a bare NullPointerException. */
    private static String hostProblem(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof NullPointerException ? "not a URI with a scheme such as unix:// or tcp://"
                : rootMessage(e);
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
