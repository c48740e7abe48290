package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.nio.file.Path;
import java.util.List;

/**
 * A cluster one integration test owns: its own name and subnet (derived from the shipped
 * sysconfig.json), leftovers of a crashed earlier run removed first, brought up with the real
 * orchestrator code, and removed by {@link #close()}.
 */
final class TestCluster implements AutoCloseable {

    final String name;
    final Path configFile;
    final SysConfig config;
    final ClusterContext ctx;
    final List<String> log = TestClusters.newLog();
    final List<NodeContainer> nodes;

    private TestCluster(String name, int subnetOctet, int nodeCount) {
        this.name = name;
        this.configFile = TestClusters.configOnSubnet(subnetOctet);
        this.config = TestClusters.load(configFile);
        TestClusters.removeLeftovers(name, config);
        this.ctx = TestClusters.context(name, config, log);
        this.nodes = nodeCount == 0 ? List.of() : new ClusterUp(ctx, TestClusters::ensureImage).run(nodeCount);
    }

    /** Brings up {@code nodeCount} nodes (0: only prepares the config and removes leftovers). */
    static TestCluster start(String name, int subnetOctet, int nodeCount) {
        return new TestCluster(name, subnetOctet, nodeCount);
    }

    CliRun pgmesh(String... args) {
        return CliRun.pgmesh(name, configFile, args);
    }

    @Override
    public void close() {
        new ClusterDown(ctx).run();
    }
}
