package io.pgmesh.tests;

import io.pgmesh.orchestrator.cli.ExitCodes;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.docker.NodeImage;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, bad input: a container that pgmesh did not create holds the name node0 of the cluster would get.
 * {@code up} exits 6 with one line naming the container and the fix, creates nothing, and neither {@code up}
 * nor {@code down} touches that container.
 */
class NameConflictIT {

    private static final String CLUSTER = "pgmesh-itnc";
    private static final String FOREIGN = CLUSTER + "-node0";
    private static final String TEST_LABEL = "io.pgmesh.test";
    private static final String TEST_LABEL_VALUE = "name-conflict";

    private static Path config;
    private static String foreignId;

    @BeforeAll
    static void foreignContainer() throws Exception {
        removeTestContainers();
        // never created as a network (up stops before): a subnet apart from the ITs' 172.28.9x.0/24 anyway
        config = TestClusters.configOnSubnet(io.pgmesh.orchestrator.config.Ipv4Net.of("10.214.5.0/24"));
        TestClusters.removeLeftovers(CLUSTER, TestClusters.load(config));
        foreignId = docker().createContainerCmd(NodeImage.BASE_IMAGES.get(0))
                .withName(FOREIGN)
                .withLabels(Map.of(TEST_LABEL, TEST_LABEL_VALUE))
                .withCmd("sleep", "infinity")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        docker().startContainerCmd(foreignId).exec();
    }

    @AfterAll
    static void cleanUp() {
        try {
            if (config != null) {
                TestClusters.removeLeftovers(CLUSTER, TestClusters.load(config));
            }
        } finally {
            removeTestContainers();
        }
    }

    @Test
    void aForeignContainerWithANodesNameIsAConflictAndStaysUntouched() {
        InspectContainerResponse before = docker().inspectContainerCmd(foreignId).exec();

        CliRun up = CliRun.pgmesh(CLUSTER, config, "up", "--nodes", "2");

        assertThat(up.exitCode()).as(up.out() + up.err()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(up.err().lines()).as("one line, no stack trace").containsExactly("pgmesh: error: a container named "
                + FOREIGN + " already exists and is not a node of cluster " + CLUSTER + "; remove it (docker rm -f "
                + FOREIGN + ") or use another --cluster");
        assertNothingOfTheCluster();
        assertUntouched(before);

        CliRun down = CliRun.pgmesh(CLUSTER, config, "down");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertUntouched(before);
    }

    private static void assertNothingOfTheCluster() {
        assertThat(docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, CLUSTER)).exec()).as("containers of " + CLUSTER).isEmpty();
        assertThat(docker().listNetworksCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec())
                .as("networks of " + CLUSTER).isEmpty();
        assertThat(ClusterSecrets.fileFor(TestClusters.HOME, CLUSTER).getParent()).as("secrets of " + CLUSTER)
                .doesNotExist();
    }

    private static void assertUntouched(InspectContainerResponse before) {
        InspectContainerResponse now = docker().inspectContainerCmd(foreignId).exec();
        assertThat(now.getName()).isEqualTo("/" + FOREIGN);
        assertThat(now.getState().getRunning()).as("still running").isTrue();
        assertThat(now.getState().getStartedAt()).as("not restarted").isEqualTo(before.getState().getStartedAt());
        assertThat(now.getConfig().getLabels()).containsEntry(TEST_LABEL, TEST_LABEL_VALUE).doesNotContainKey(Labels.CLUSTER);
    }

    private static DockerClient docker() {
        return TestClusters.docker();
    }

    private static void removeTestContainers() {
        List<Container> leftovers = docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(TEST_LABEL, TEST_LABEL_VALUE)).exec();
        for (Container c : leftovers) {
            docker().removeContainerCmd(c.getId()).withForce(true).exec();
        }
    }
}
