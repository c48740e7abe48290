package io.pgmesh.junit;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.config.ConfigException;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.Labels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder API without the extension: a named single-node cluster on a given subnet, what close() removes, and
 * starts that fail (a name in use, an overlapping subnet) without leaving anything behind.
 */
class PgMeshClusterIT {

    private static final String NAME = "pgmesh-junit-it";
    private static DockerClient docker;

    @BeforeAll
    static void connect() {
        docker = DockerEngine.connect();
        removeLeftovers();
    }

    @AfterAll
    static void disconnect() throws Exception {
        removeLeftovers();
        docker.close();
    }

    @Test
    void startsOnTheGivenSubnetAndCloseRemovesEverything(@TempDir Path home) throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        PgMeshCluster mesh = PgMeshCluster.builder().nodes(1).clusterName(NAME).subnet("172.28.150.0/24")
                .home(home).log(log::add).start();
        try {
            assertThat(mesh.clusterName()).isEqualTo(NAME);
            assertThat(mesh.nodes()).containsExactly("node0");
            assertThat(Files.exists(home.resolve("clusters").resolve(NAME).resolve("secrets.json"))).isTrue();
            assertThat(log).anyMatch(l -> l.contains("cluster " + NAME + " is up: 1 nodes"));
            assertThat(docker.inspectNetworkCmd().withNetworkId(NAME + "_pgmesh-net").exec().getIpam().getConfig())
                    .anyMatch(c -> "172.28.150.0/24".equals(c.getSubnet()));
            try (Connection c = mesh.connection(0);
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM table1")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThatThrownBy(() -> mesh.connection(1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("node: 1 is out of range 0..0");

            // a second cluster of the same name is refused, and the first one is left alone
            assertThatThrownBy(() -> PgMeshCluster.builder().nodes(1).clusterName(NAME).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("clusterName: a cluster named " + NAME + " exists already");
            assertThat(labelled()).hasSize(1);

            // a failed start throws the orchestrator's error and leaves nothing behind, its temporary home included
            List<Path> homesBefore = temporaryHomes();
            assertThatThrownBy(() -> PgMeshCluster.builder().nodes(1).subnet("172.28.150.0/25").start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("system.networks[0].config.net.ipv4.subnet: 172.28.150.0/25 overlaps Docker"
                            + " network '" + NAME + "_pgmesh-net'");
            assertThat(temporaryHomes()).isEqualTo(homesBefore);
            assertThat(docker.listContainersCmd().withShowAll(true).exec())
                    .noneMatch(c -> c.getLabels() != null && String.valueOf(c.getLabels().get(Labels.CLUSTER))
                            .startsWith(PgMeshCluster.DEFAULT_NAME_PREFIX) && !NAME.equals(c.getLabels().get(Labels.CLUSTER)));
        } finally {
            mesh.close();
        }
        assertThat(labelled()).isEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", Labels.clusterFilter(NAME)).exec()).isEmpty();
        assertThat(home.resolve("clusters").resolve(NAME)).doesNotExist();
        assertThat(home).exists(); // the user's directory stays
        mesh.close(); // again: nothing to do
        assertThatThrownBy(mesh::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    private static List<Path> temporaryHomes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("pgmesh-junit-home")).sorted().toList();
        }
    }

    private static List<?> labelled() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.CLUSTER, NAME)).exec();
    }

    private static void removeLeftovers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.CLUSTER, NAME)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
        docker.listNetworksCmd().withFilter("label", Labels.clusterFilter(NAME)).exec()
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
    }
}
