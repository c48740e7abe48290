package io.pgmesh.junit;

import io.pgmesh.orchestrator.config.ConfigException;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.SysConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builder validation: every problem is found before Docker is contacted and names the argument. No Docker here. */
class PgMeshClusterBuilderTest {

    @Test
    void nodeCountBelowOneIsRefusedAtOnce() {
        assertThatThrownBy(() -> PgMeshCluster.builder().nodes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes: 0 ")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> PgMeshCluster.builder().nodes(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes: -2 ");
    }

    @Test
    void nodeCountAboveMaxNodesIsRefusedBeforeDocker() {
        assertThatThrownBy(() -> PgMeshCluster.builder().nodes(9).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodes: 9 is out of range 1..8")
                .hasMessageContaining("max_nodes");
    }

    @Test
    void invalidClusterNamesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> PgMeshCluster.builder().clusterName("My Cluster"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clusterName: 'My Cluster' is not a valid name")
                .hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> PgMeshCluster.builder().clusterName(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clusterName: must not be empty");
        assertThatThrownBy(() -> PgMeshCluster.builder().clusterName(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clusterName: must not be empty");
        assertThatThrownBy(() -> PgMeshCluster.builder().clusterName("x".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clusterName: ");
        PgMeshCluster.builder().clusterName("orders-it_2"); // valid
    }

    @Test
    void malformedOrTooSmallSubnetsAreRefused() {
        assertThatThrownBy(() -> PgMeshCluster.builder().subnet("172.28.120.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("subnet: '172.28.120.0' is not");
        assertThatThrownBy(() -> PgMeshCluster.builder().subnet("172.28.120.5/24"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
        assertThatThrownBy(() -> PgMeshCluster.builder().subnet("172.28.120.0/27"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("subnet: 172.28.120.0/27 is too small");
        assertThatThrownBy(() -> PgMeshCluster.builder().subnet(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("subnet: must not be empty");
    }

    @Test
    void aSubnetOverlappingDocker0IsAConfigProblemBeforeDocker() {
        assertThatThrownBy(() -> PgMeshCluster.builder().subnet("172.17.8.0/24").start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("system.networks[0].config.net.ipv4.subnet")
                .hasMessageContaining("docker0");
    }

    @Test
    void subnetAndConfigTogetherAreRefused() {
        assertThatThrownBy(() -> PgMeshCluster.builder().config(Path.of("sysconfig.json")).subnet("10.77.0.0/24").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("subnet: cannot be combined with config(sysconfig.json)");
    }

    @Test
    void aMissingConfigFileIsAConfigProblem() {
        assertThatThrownBy(() -> PgMeshCluster.builder().config(Path.of("target", "no-such-sysconfig.json")).start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no-such-sysconfig.json")
                .hasMessageContaining("cannot read");
    }

    @Test
    void theBuiltInConfigMovesToTheGivenSubnet() {
        SysConfig config = MeshConfigs.builtIn(Ipv4Net.of("10.99.0.0/16"));
        assertThat(config.subnetCidr()).isEqualTo("10.99.0.0/16");
        assertThat(config.gateway()).hasToString("10.99.0.1");
        assertThat(config.nodeAddress(0)).hasToString("10.99.0.10");
        assertThat(config.nodeAddress(7)).hasToString("10.99.0.17");
        assertThat(config.minNodes()).isEqualTo(1);
        assertThat(config.maxNodes()).isEqualTo(8);
        assertThat(config.database()).isEqualTo("lb-test");
        assertThat(config.roles().testWriter().id()).isEqualTo("testwriter");
        assertThat(config.roles().testReader().id()).isEqualTo("testreader");
        assertThat(config.roles().testWriter().password()).isEmpty(); // generated per cluster
    }

    @Test
    void automaticSubnetsStayClearOfTheCliAndTheIntegrationTests() {
        assertThat(MeshConfigs.firstCandidate()).hasToString("172.28.120.0/24");
        for (String taken : new String[]{"172.28.5.0/24", "172.28.90.0/24", "172.28.99.0/24"}) {
            for (int octet = MeshConfigs.FIRST_AUTO_OCTET; octet <= MeshConfigs.LAST_AUTO_OCTET; octet++) {
                assertThat(Ipv4Net.of("172.28." + octet + ".0/24").overlaps(Ipv4Net.of(taken))).isFalse();
            }
        }
    }

    @Test
    void theAnnotationMapsOntoTheBuilderWithTheSameChecks() {
        @PgMesh(nodes = 0)
        class ZeroNodes {
        }
        assertThatThrownBy(() -> PgMeshExtension.builder(ZeroNodes.class.getAnnotation(PgMesh.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nodes: 0 ");
        @PgMesh(clusterName = "Bad")
        class BadName {
        }
        assertThatThrownBy(() -> PgMeshExtension.builder(BadName.class.getAnnotation(PgMesh.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clusterName: 'Bad'");
    }
}
