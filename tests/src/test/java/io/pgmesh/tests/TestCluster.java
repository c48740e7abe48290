package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.junit.PgMeshCluster;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A cluster one integration test owns: its own name and subnet (derived from the shipped
 * sysconfig.json), leftovers of a crashed earlier run removed first, brought up by pgmesh-junit's
 * {@link PgMeshCluster} (the real orchestrator code, as users' tests get it), and removed by {@link #close()}.
 */
final class TestCluster implements AutoCloseable {

    final String name;
    final Path configFile;
    final SysConfig config;
    final ClusterContext ctx;
    final List<String> log = TestClusters.newLog();
    final List<NodeContainer> nodes;
    private final PgMeshCluster mesh;

    private TestCluster(String name, int subnetOctet, int nodeCount, java.util.function.UnaryOperator<String> edit) {
        this.name = name;
        this.configFile = TestClusters.configOnSubnet(subnetOctet);
        try {
            java.nio.file.Files.writeString(configFile, edit.apply(java.nio.file.Files.readString(configFile)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.config = TestClusters.load(configFile);
        TestClusters.removeLeftovers(name, config);
        if (nodeCount == 0) {
            this.mesh = null;
            this.ctx = TestClusters.context(name, config, log);
            this.nodes = List.of();
        } else {
            this.mesh = PgMeshCluster.builder().clusterName(name).config(configFile).home(TestClusters.HOME)
                    .log(line -> {
                        System.out.println(line);
                        log.add(line);
                    }).nodes(nodeCount).start();
            this.ctx = mesh.context();
            this.nodes = ctx.runtime().list(name).stream().sorted(Comparator.comparingInt(NodeContainer::index)).toList();
        }
    }

    /** Brings up {@code nodeCount} nodes (0: only prepares the config and removes leftovers). */
    static TestCluster start(String name, int subnetOctet, int nodeCount) {
        return new TestCluster(name, subnetOctet, nodeCount, json -> json);
    }

    /** As {@link #start(String, int, int)}, on the shipped config changed by {@code edit} (JSON text in, out). */
    static TestCluster start(String name, int subnetOctet, int nodeCount, java.util.function.UnaryOperator<String> edit) {
        return new TestCluster(name, subnetOctet, nodeCount, edit);
    }

    CliRun pgmesh(String... args) {
        return CliRun.pgmesh(name, configFile, args);
    }

    @Override
    public void close() {
        if (mesh != null) {
            mesh.close();
        } else {
            new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
        }
    }
}
