package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deciding where a node goes and what its service looks like: no Swarm needed. */
class SwarmPlacementTest {

    private static final SwarmHost H1 = new SwarmHost("id1", "h1", "172.29.10.11", true, true, true);
    private static final SwarmHost H2 = new SwarmHost("id2", "h2", "172.29.10.12", true, true, true);
    private static final SwarmHost H3_DOWN = new SwarmHost("id3", "h3", "172.29.10.13", false, true, true);
    private static final SwarmHost H4_DRAINED = new SwarmHost("id4", "h4", "172.29.10.14", true, false, false);

    @Test
    void aNewNodeGoesToTheReadyActiveHostWithTheFewestNodes() {
        List<SwarmHost> hosts = List.of(H1, H2, H3_DOWN, H4_DRAINED);
        assertThat(SwarmHosts.pick(hosts, Map.of(), null)).isEqualTo(H1);
        assertThat(SwarmHosts.pick(hosts, Map.of("id1", 1L), null)).isEqualTo(H2);
        assertThat(SwarmHosts.pick(hosts, Map.of("id1", 2L, "id2", 1L), null)).isEqualTo(H2);
        assertThat(SwarmHosts.pick(hosts, Map.of("id1", 1L, "id2", 1L), null)).as("tie: by hostname").isEqualTo(H1);
    }

    @Test
    void aWantedHostMustExistRunAndTakeTasks() {
        List<SwarmHost> hosts = List.of(H1, H2, H3_DOWN, H4_DRAINED);
        assertThat(SwarmHosts.pick(hosts, Map.of("id2", 5L), "h2")).isEqualTo(H2);
        assertThatThrownBy(() -> SwarmHosts.pick(hosts, Map.of(), "h7")).isInstanceOf(UsageException.class)
                .hasMessage("--host: the Swarm has no host 'h7' (hosts: h1, h2, h3, h4)");
        assertThatThrownBy(() -> SwarmHosts.pick(hosts, Map.of(), "h3"))
                .hasMessage("--host: h3 is down: a new node's data would live there");
        assertThatThrownBy(() -> SwarmHosts.pick(hosts, Map.of(), "h4"))
                .hasMessage("--host: h4 is not active (drained or paused): a new node's data would live there");
        assertThatThrownBy(() -> SwarmHosts.pick(List.of(H3_DOWN), Map.of(), null))
                .hasMessageStartingWith("the Swarm has no ready, active host for a new node");
    }

    @Test
    void theSwarmsHostsAreListedInOneLine() {
        assertThat(SwarmRuntime.describe(List.of(H1, H3_DOWN, H4_DRAINED))).isEqualTo("h1 (172.29.10.11, ready),"
                + " h3 (172.29.10.13, down), h4 (172.29.10.14, ready, not active)");
    }

    @Test
    void portsArePickedInPairsAroundUsedOnes() {
        assertThat(FreePorts.pick(Set.of(), 25432, 26432, 10)).containsExactly(25432, 26432);
        assertThat(FreePorts.pick(Set.of(25432, 26433), 25432, 26432, 10)).containsExactly(25434, 26434);
        assertThatThrownBy(() -> FreePorts.pick(Set.of(25432, 25433), 25432, 26432, 2))
                .hasMessageStartingWith("no free pair of host ports");
    }

    @Test
    void aPlacementSurvivesItsLabelsAndIncompleteLabelsAreNone() {
        Placement p = new Placement("demo", "node3", 3, "id2", "h2", 25435, 26435);
        assertThat(Placement.of(p.labels())).isEqualTo(p);
        assertThat(p.volumeName()).isEqualTo("demo-node3-data");
        Map<String, String> broken = new java.util.HashMap<>(p.labels());
        broken.remove("io.pgmesh.pg-port");
        assertThat(Placement.of(broken)).isNull();
        assertThat(Placement.of(Map.of("io.pgmesh.cluster", "demo"))).isNull();
    }

    @Test
    void recordNamesFitSwarmsLimit() {
        assertThat(SwarmRecords.name("demo", "node3-placement")).isEqualTo("pgmesh-demo-node3-placement");
        String longCluster = "c".repeat(60);
        String name = SwarmRecords.name(longCluster, "node3-placement");
        assertThat(name).hasSizeLessThanOrEqualTo(64).startsWith("pgmesh-").endsWith("-node3-placement");
        assertThat(SwarmRecords.name(longCluster, "node3-placement")).as("stable").isEqualTo(name);
    }

    @Test
    void theServiceIsPinnedPublishedInHostModeFoundByDnsAndGetsItsSecretAsAFile() {
        Placement p = new Placement("demo", "node1", 1, "id2", "h2", 25433, 26433);
        NodeContainerSpec spec = new NodeContainerSpec("demo", "node1", 1, "demo-node1", "reg:5000/pgmesh-node@sha256:ab",
                "demo_pgmesh-net", "10.0.0.11", List.of("PGMESH_NODE=node1"), Map.of("PGMESH_RPC_SECRET", "s3cret-value-0123"),
                null);
        ServiceSpec s = NodeServiceSpec.of(spec, "reg:5000/pgmesh-node@sha256:ab", p, List.of(
                new NodeServiceSpec.SecretFile("PGMESH_RPC_SECRET", "sid", "pgmesh-demo-rpc-secret", "pgmesh-rpc-secret")), 1);
        assertThat(s.getName()).isEqualTo("demo-node1");
        assertThat(s.getTaskTemplate().getPlacement().getConstraints()).containsExactly("node.id==id2");
        assertThat(s.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
        assertThat(s.getEndpointSpec().getPorts()).extracting(PortConfig::getTargetPort, PortConfig::getPublishedPort,
                PortConfig::getPublishMode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5432, 25433, PortConfig.PublishMode.host),
                org.assertj.core.groups.Tuple.tuple(64000, 26433, PortConfig.PublishMode.host));
        assertThat(s.getTaskTemplate().getContainerSpec().getImage()).isEqualTo("reg:5000/pgmesh-node@sha256:ab");
        assertThat(s.getTaskTemplate().getContainerSpec().getEnv()).containsExactly("PGMESH_NODE=node1",
                "PGMESH_RPC_SECRET_FILE=/run/secrets/pgmesh-rpc-secret");
        assertThat(String.valueOf(s)).doesNotContain("s3cret-value-0123");
        assertThat(s.getTaskTemplate().getContainerSpec().getSecrets()).singleElement()
                .satisfies(sec -> assertThat(sec.getSecretName()).isEqualTo("pgmesh-demo-rpc-secret"));
        assertThat(s.getTaskTemplate().getContainerSpec().getMounts()).anySatisfy(m -> {
            assertThat(m.getType()).isEqualTo(MountType.VOLUME);
            assertThat(m.getSource()).isEqualTo("demo-node1-data");
            assertThat(m.getVolumeOptions().getLabels()).containsEntry("io.pgmesh.hostname", "h2");
        });
        assertThat(s.getTaskTemplate().getNetworks()).singleElement()
                .satisfies(n -> assertThat(n.getTarget()).isEqualTo("demo_pgmesh-net"));
        assertThat(NodeServices.replicas(s)).isEqualTo(1);
    }
}
