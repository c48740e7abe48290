package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.fake.FakeNode;
import io.pgmesh.orchestrator.fake.FakeRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code up} and {@code down} on fake nodes: no Docker, milliseconds. */
class ClusterUpDownTest {

    @TempDir
    Path home;

    @Test
    void upWiresAFullMeshOfEveryTable() {
        FakeCluster c = new FakeCluster(home);
        List<NodeContainer> nodes = new ClusterUp(c.ctx(), () -> "image").run(3);

        assertThat(nodes).extracting(NodeContainer::node).containsExactly("node0", "node1", "node2");
        for (String self : List.of("node0", "node1", "node2")) {
            FakeNode.Catalog catalog = c.runtime.node(self).catalog();
            assertThat(catalog.database()).isEqualTo(c.config.database());
            assertThat(catalog.tables()).containsExactlyInAnyOrder("table1", "table2");
            assertThat(catalog.publications()).containsOnlyKeys("pub_" + self + "_table1", "pub_" + self + "_table2");
            List<String> peers = List.of("node0", "node1", "node2").stream().filter(p -> !p.equals(self)).toList();
            assertThat(catalog.subscriptions()).containsOnlyKeys(peers.stream().flatMap(p -> List.of(
                    "sub_" + self + "_" + p + "_table1", "sub_" + self + "_" + p + "_table2").stream()).toList());
            assertThat(catalog.subscriptions().values()).allMatch("enabled"::equals);
            // every peer's subscription to this node streams from its own slot here
            assertThat(catalog.slots()).containsExactlyInAnyOrderElementsOf(peers.stream().flatMap(p -> List.of(
                    "sub_" + p + "_" + self + "_table1", "sub_" + p + "_" + self + "_table2").stream()).toList());
        }
        assertThat(c.log).contains("[up] cluster fake is up: 3 nodes on fake_pgmesh-net");
    }

    @Test
    void aSecondUpChangesNothing() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        FakeRuntime.Snapshot before = c.runtime.snapshot();
        c.log.clear();

        new ClusterUp(c.ctx(), () -> "image").run(3);

        assertThat(c.runtime.snapshot()).isEqualTo(before);
        List<String> rpcSteps = c.log.stream().filter(l -> l.matches("\\[node\\d] (updateNetworkTopology|initDatabase|"
                + "createReplicaTable|subscribing).*")).toList();
        assertThat(rpcSteps).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(": already in place"));
        assertThat(c.log).noneMatch(l -> l.contains("starting container"));
    }

    @Test
    void downKeepsEachNodesDataTheRetiredIndexesAndTheSecrets() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        c.runtime.retire(FakeCluster.NAME, "node9", 9);

        ClusterDown.Result result = new ClusterDown(c.ctx()).run(ClusterDown.Data.KEEP);

        assertThat(result.containers()).containsExactly("fake-node0", "fake-node1", "fake-node2");
        assertThat(result.volumesKept()).containsExactly("fake-node0-data", "fake-node1-data", "fake-node2-data");
        FakeRuntime.Snapshot after = c.runtime.snapshot();
        assertThat(after.nodes()).isEmpty();
        assertThat(after.network()).isFalse();
        assertThat(after.retired()).isEqualTo(Set.of(9));
        assertThat(ClusterSecrets.fileFor(home, FakeCluster.NAME)).exists();
        assertThat(c.log).anyMatch(l -> l.startsWith("[down] kept 3 data volume(s) (fake-node0-data, fake-node1-data,"
                + " fake-node2-data) and the cluster's secrets") && l.contains("'pgmesh down --delete-data'"));
        assertThat(new ClusterDown(c.ctx()).run()).isEmpty();
    }

    @Test
    void downDeletingDataRemovesVolumesRetiredIndexesAndSecrets() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        c.runtime.retire(FakeCluster.NAME, "node9", 9);

        ClusterDown.Result result = new ClusterDown(c.ctx()).run(ClusterDown.Data.DELETE);

        assertThat(result.volumesDeleted()).containsExactly("fake-node0-data", "fake-node1-data", "fake-node2-data");
        assertThat(c.runtime.volumes(FakeCluster.NAME)).isEmpty();
        assertThat(c.runtime.snapshot().retired()).isEmpty();
        assertThat(ClusterSecrets.fileFor(home, FakeCluster.NAME)).doesNotExist();
        assertThat(ClusterUp.keptNodes(c.ctx())).isZero();
    }

    @Test
    void upAfterDownBringsEveryNodeBackOnItsDataWithTheSamePortsAndChangesNothingElse() {
        FakeCluster c = new FakeCluster(home);
        List<NodeContainer> first = new ClusterUp(c.ctx(), () -> "image").run(3);
        FakeRuntime.Snapshot before = c.runtime.snapshot();
        new ClusterDown(c.ctx()).run(ClusterDown.Data.KEEP);
        assertThat(ClusterUp.keptNodes(c.ctx())).isEqualTo(3);
        c.log.clear();

        List<NodeContainer> again = new ClusterUp(c.ctx(), () -> "image").run(3);

        assertThat(c.runtime.snapshot()).as("same nodes, same catalogs").isEqualTo(before);
        assertThat(again).extracting(NodeContainer::pgPort).isEqualTo(first.stream().map(NodeContainer::pgPort).toList());
        assertThat(c.log).contains("[up] bringing back node0, node1, node2 on their kept data");
        List<String> rpcSteps = c.log.stream().filter(l -> l.matches("\\[node\\d] (initDatabase|"
                + "createReplicaTable|subscribing).*")).toList();
        assertThat(rpcSteps).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(": already in place"));
    }

    @Test
    void upOnKeptDataOfAnotherSizeIsRefusedBeforeAnythingIsCreated() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        new ClusterDown(c.ctx()).run(ClusterDown.Data.KEEP);

        assertThatThrownBy(() -> new ClusterUp(c.ctx(), () -> "image").run(4))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("has the kept data of 3 node(s) (node0, node1, node2)")
                .hasMessageContaining("'pgmesh up --nodes 3'");
        assertThat(c.runtime.snapshot().network()).isFalse();
        assertThat(c.runtime.snapshot().nodes()).isEmpty();
    }
}
