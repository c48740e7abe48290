package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import io.pgmesh.orchestrator.config.SubnetOverlaps;
import io.pgmesh.orchestrator.config.SysConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The cluster's bridge network, over which the nodes replicate to each other. */
public final class ClusterNetwork {

    private final DockerClient docker;
    private final Consumer<String> log;

    public ClusterNetwork(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    /** The network of {@code cluster}, if it exists. */
    public Optional<Network> find(String cluster) {
        return docker.listNetworksCmd().withFilter("label", Labels.clusterFilter(cluster)).exec().stream().findFirst();
    }

    /**
     * Creates the network unless the cluster already has it. A network of the same name that does
     * not belong to the cluster, or a subnet that overlaps another network, is a CONFLICT.
     */
    public Network ensure(String cluster, String name, String subnetCidr, String gateway, int targetNodes) {
        Optional<Network> existing = find(cluster);
        if (existing.isPresent()) {
            log.accept("[network] " + existing.get().getName() + " already exists");
            return existing.get();
        }
        List<Network> sameName = docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> n.getName().equals(name)).toList();
        if (!sameName.isEmpty()) {
            throw foreignNamesake(cluster, name);
        }
        log.accept("[network] creating " + name + " (" + subnetCidr + ", gateway " + gateway + ")");
        try {
            docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(Labels.forNetwork(cluster, targetNodes))
                    .withIpam(new Network.Ipam().withConfig(
                            new Network.Ipam.Config().withSubnet(subnetCidr).withGateway(gateway)))
                    .exec();
        } catch (DockerException e) {
            String reason = DockerEngine.rootMessage(e);
            if (reason.contains("overlap")) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                        "subnet " + subnetCidr + " overlaps an existing Docker network (" + reason
                                + "); choose another subnet in sysconfig.json (system.networks[].config.net.ipv4)", e);
            }
            throw new DockerOperationException(DockerOperationException.Kind.OTHER,
                    "creating network " + name + " failed: " + reason, e);
        }
        return find(cluster).orElseThrow(() -> new DockerOperationException(DockerOperationException.Kind.OTHER,
                "network " + name + " was created but cannot be found by its labels", null));
    }

    /**
     * Checks, before anything is created, that the cluster's network can be created as configured: a network
     * of its name that is not the cluster's is a CONFLICT, and a configured subnet that overlaps any other
     * Docker network is a {@link io.pgmesh.orchestrator.config.ConfigException} naming the subnet's JSON path.
     * The cluster's own network (its name, labelled for the cluster) is left out: {@code up} reuses it.
     */
    public void preflight(String cluster, String name, SysConfig config) {
        List<SubnetOverlaps.ExistingNetwork> others = new ArrayList<>();
        for (Network n : docker.listNetworksCmd().exec()) {
            if (name.equals(n.getName())) {
                if (isOwn(n, cluster)) {
                    continue;
                }
                throw foreignNamesake(cluster, name);
            }
            others.add(new SubnetOverlaps.ExistingNetwork(n.getName(), subnets(n)));
        }
        SubnetOverlaps.check(config, others);
    }

    private static boolean isOwn(Network network, String cluster) {
        return network.getLabels() != null && cluster.equals(network.getLabels().get(Labels.CLUSTER));
    }

    private static List<String> subnets(Network network) {
        if (network.getIpam() == null || network.getIpam().getConfig() == null) {
            return List.of();
        }
        return network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                .filter(Objects::nonNull).toList();
    }

    private static DockerOperationException foreignNamesake(String cluster, String name) {
        return new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                "a Docker network named " + name + " exists but does not belong to cluster " + cluster
                        + "; remove it (docker network rm " + name + ") or use another --cluster", null);
    }

    /** Records that a removed node's index is never to be used again (see {@link RetiredNodes}). */
    public void retire(String cluster, String node, int index) {
        new RetiredNodes(docker, log).retire(cluster, node, index);
    }

    /** Node indexes the cluster has retired (see {@link RetiredNodes}). */
    public Set<Integer> retiredIndexes(String cluster) {
        return new RetiredNodes(docker, log).indexes(cluster);
    }

    /** Target node count recorded on the network when {@code up} created it. */
    public static Optional<Integer> targetNodes(Network network) {
        String value = network.getLabels() == null ? null : network.getLabels().get(Labels.TARGET_NODES);
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the cluster's network(s); returns their names. */
    public List<String> remove(String cluster) {
        List<Network> networks = docker.listNetworksCmd().withFilter("label", Labels.clusterFilter(cluster)).exec();
        for (Network n : networks) {
            log.accept("[network] removing " + n.getName());
            docker.removeNetworkCmd(n.getId()).exec();
        }
        return networks.stream().map(Network::getName).toList();
    }
}
