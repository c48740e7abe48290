package io.pgmesh.tests;

import io.pgmesh.orchestrator.cli.ExitCodes;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.docker.Labels;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, bad input: a configured subnet that overlaps an existing Docker network (not pgmesh's) is an invalid
 * config, reported before anything is created: exit 4, one line naming the subnet's JSON path and the other
 * network, no stack trace, and no container, network or secrets of the cluster afterwards.
 */
class ConfigPreflightIT {

    private static final String CLUSTER = "pgmesh-itpf";
    /** Label on what this test creates, so that a crashed run's leftovers are found and removed. */
    private static final String TEST_LABEL = "io.pgmesh.test";
    private static final String TEST_LABEL_VALUE = "preflight";
    private static final String FOREIGN_NETWORK = "pgmesh-itpf-foreign";
    /** Far from the ITs' 172.28.9x.0/24 subnets. */
    private static final String FOREIGN_SUBNET = "10.213.0.0/16";

    private static Path config;

    @BeforeAll
    static void foreignNetwork() throws Exception {
        removeTestNetworks();
        config = TestClusters.configOnSubnet(io.pgmesh.orchestrator.config.Ipv4Net.of("10.213.5.0/24"));
        TestClusters.removeLeftovers(CLUSTER, TestClusters.load(config));
        docker().createNetworkCmd()
                .withName(FOREIGN_NETWORK)
                .withDriver("bridge")
                .withCheckDuplicate(true)
                .withLabels(Map.of(TEST_LABEL, TEST_LABEL_VALUE))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(FOREIGN_SUBNET)))
                .exec();
    }

    @AfterAll
    static void cleanUp() {
        try {
            if (config != null) {
                TestClusters.removeLeftovers(CLUSTER, TestClusters.load(config));
            }
        } finally {
            removeTestNetworks();
        }
    }

    @Test
    void overlappingSubnetIsAnInvalidConfigAndNothingIsCreated() {
        CliRun up = CliRun.pgmesh(CLUSTER, config, "up", "--nodes", "2");

        assertThat(up.exitCode()).as(up.out() + up.err()).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(up.err().lines()).as("one line, no stack trace").singleElement().asString()
                .isEqualTo("pgmesh: error: " + config + ": system.networks[0].config.net.ipv4.subnet: 10.213.5.0/24"
                        + " overlaps Docker network '" + FOREIGN_NETWORK + "' (" + FOREIGN_SUBNET
                        + "); choose a free subnet");
        assertThat(up.out()).as("no step was taken").doesNotContain("[network]", "[image]", "[node0]");

        assertThat(docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, CLUSTER)).exec()).as("containers of " + CLUSTER).isEmpty();
        assertThat(docker().listNetworksCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec())
                .as("networks of " + CLUSTER).isEmpty();
        assertThat(docker().listNetworksCmd().withNameFilter(CLUSTER + "_pgmesh-net").exec())
                .as("a network by the cluster's network name").isEmpty();
        Path secretsDir = ClusterSecrets.fileFor(TestClusters.HOME, CLUSTER).getParent();
        assertThat(secretsDir).as("secrets of " + CLUSTER).doesNotExist();

        assertThat(docker().inspectNetworkCmd().withNetworkId(FOREIGN_NETWORK).exec().getName())
                .as("the other network is left alone").isEqualTo(FOREIGN_NETWORK);
    }

    private static DockerClient docker() {
        return TestClusters.docker();
    }

    private static void removeTestNetworks() {
        List<Network> leftovers = docker().listNetworksCmd()
                .withFilter("label", List.of(TEST_LABEL + "=" + TEST_LABEL_VALUE)).exec();
        for (Network n : leftovers) {
            docker().removeNetworkCmd(n.getId()).exec();
        }
    }
}
