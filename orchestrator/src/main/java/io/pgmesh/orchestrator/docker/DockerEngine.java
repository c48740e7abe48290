package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.time.Duration;

/** Connects to the Docker engine (DOCKER_HOST or the local socket) and checks that it answers. */
public final class DockerEngine {

    private DockerEngine() {
    }

    /** A client for the engine; fails with ENGINE_UNREACHABLE and the fix when it does not answer. */
    public static DockerClient connect() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, http);
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    "the Docker engine at " + config.getDockerHost() + " does not answer (" + rootMessage(e)
                            + "); start it with: bash docker/ensure-engine.sh", e);
        }
        return client;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
