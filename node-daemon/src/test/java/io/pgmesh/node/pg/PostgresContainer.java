package io.pgmesh.node.pg;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One plain PostgreSQL 17 server in one container, for the *IT of this module: the PostgreSQL of
 * the newest local pgmesh-node image (its daemon is not started), or of a small image built from
 * pgmesh-base:trixie when there is none yet. Its port is published on 127.0.0.1 only, every
 * connection trusts (a throwaway server), and the container carries the label
 * {@value #LABEL}={@code cluster}, so whatever a crashed run left is found by that label and removed.
 */
final class PostgresContainer implements AutoCloseable {

    static final String LABEL = "io.pgmesh.cluster";
    private static final String NODE_IMAGE = "pgmesh-node";
    private static final String FALLBACK_IMAGE = "pgmesh-it-pg17:latest";
    private static final String BASE_IMAGE = "pgmesh-base:trixie";
    private static final String START = "printf 'local all all trust\\nhost all all all trust\\n' > /tmp/pgmesh-it-hba.conf"
            + " && exec /usr/lib/postgresql/17/bin/postgres -D /var/lib/postgresql/17/main"
            + " -c config_file=/etc/postgresql/17/main/postgresql.conf -c hba_file=/tmp/pgmesh-it-hba.conf"
            + " -c listen_addresses=* -c ssl=off -c fsync=off -c synchronous_commit=off";

    private final DockerClient docker;
    private final String cluster;
    private final String id;
    private final int port;

    private PostgresContainer(DockerClient docker, String cluster, String id, int port) {
        this.docker = docker;
        this.cluster = cluster;
        this.id = id;
        this.port = port;
    }

    /** Removes what an earlier run left with this label, then starts the server and waits until it answers. */
    static PostgresContainer start(String cluster) throws Exception {
        DockerClient docker = client();
        removeLabelled(docker, cluster);
        String image = image(docker);
        System.out.println("[" + cluster + "] PostgreSQL 17 of image " + image + ", label " + LABEL + "=" + cluster);
        ExposedPort pg = ExposedPort.tcp(5432);
        String id = docker.createContainerCmd(image)
                .withName(cluster + "-pg")
                .withLabels(Map.of(LABEL, cluster))
                .withEntrypoint("/bin/bash")
                .withCmd("-c", START)
                .withUser("postgres")
                .withExposedPorts(pg)
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(false)
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), pg)))
                .exec().getId();
        PostgresContainer container = null;
        try {
            docker.startContainerCmd(id).exec();
            Ports.Binding[] bound = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts()
                    .getBindings().get(pg);
            container = new PostgresContainer(docker, cluster, id, Integer.parseInt(bound[0].getHostPortSpec()));
            container.awaitReady(Duration.ofSeconds(30));
            return container;
        } catch (Exception | Error e) {
            if (container == null) {
                docker.removeContainerCmd(id).withForce(true).exec();
            } else {
                container.close();
            }
            throw e;
        }
    }

    /** A connection as the superuser postgres to {@code database}, through the published 127.0.0.1 port. */
    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", "5");
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
        c.setAutoCommit(true);
        return c;
    }

    @Override
    public void close() {
        removeLabelled(docker, cluster);
        try {
            docker.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        try {
            Awaitility.await("PostgreSQL in container " + id + " answering on 127.0.0.1:" + port).atMost(timeout)
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> {
                        try (Connection c = connect("postgres")) {
                            return true;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("PostgreSQL in container " + id + " did not answer on 127.0.0.1:" + port
                    + " within " + timeout, e);
        }
    }

    private static void removeLabelled(DockerClient docker, String cluster) {
        List<Container> left = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, cluster)).exec();
        for (Container c : left) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    /** The newest pgmesh-node image (it has PostgreSQL 17), else the fallback image, built when missing. */
    private static String image(DockerClient docker) throws IOException {
        // -Dpgmesh.it.image=TAG uses that image; =fallback skips the node images (to test the fallback)
        String override = System.getProperty("pgmesh.it.image", "").strip();
        if (!override.isEmpty() && !override.equals("fallback")) {
            return override;
        }
        // filtered here: docker-java's image-name filter is a query parameter newer engines ignore
        List<Image> images = docker.listImagesCmd().exec();
        if (!override.equals("fallback")) {
            var newest = images.stream().filter(i -> tags(i).anyMatch(t -> t.startsWith(NODE_IMAGE + ":")))
                    .max(Comparator.comparingLong(Image::getCreated));
            if (newest.isPresent()) {
                return tags(newest.get()).filter(t -> t.startsWith(NODE_IMAGE + ":")).findFirst().orElseThrow();
            }
        }
        if (images.stream().anyMatch(i -> tags(i).anyMatch(FALLBACK_IMAGE::equals))) {
            return FALLBACK_IMAGE;
        }
        Path context = Files.createTempDirectory("pgmesh-it-pg17");
        try (InputStream dockerfile = PostgresContainer.class.getResourceAsStream("/pg17-image/Dockerfile")) {
            Files.copy(dockerfile, context.resolve("Dockerfile"));
        }
        System.out.println("building " + FALLBACK_IMAGE + " from " + BASE_IMAGE + " (once; about a minute)");
        docker.buildImageCmd(context.toFile()).withTags(Set.of(FALLBACK_IMAGE)).withBuildArg("BASE_IMAGE", BASE_IMAGE)
                .withPull(false).exec(new BuildImageResultCallback()).awaitImageId();
        return FALLBACK_IMAGE;
    }

    private static java.util.stream.Stream<String> tags(Image image) {
        return image.getRepoTags() == null ? java.util.stream.Stream.empty()
                : java.util.Arrays.stream(image.getRepoTags());
    }

    private static DockerClient client() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(10)).build();
        return DockerClientImpl.getInstance(config, http);
    }
}
