package io.pgmesh.orchestrator.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code system.networks}: the Docker network a cluster runs on.
 *
 * @param id          Docker network name
 * @param subnet      the network's subnet
 * @param gateway     the subnet's gateway (the Docker host's address on the bridge)
 * @param hostAddress {@code hostaddress}, when given
 * @param domain      DNS domain for the nodes, when given
 * @param parts       every address range ("part") of the network, in file order
 * @param nodeRange   the part node addresses are taken from (one of {@code parts})
 * @param scale       node count limits
 * @param subnetPath  the JSON path of the subnet field ({@code system.networks[i].config.net.ipv4.subnet}), for
 *                    problems found about it after loading (e.g. an overlap with a live Docker network)
 */
public record NetworkConfig(String id, Ipv4Net subnet, Ipv4Address gateway, Optional<Ipv4Address> hostAddress,
                            Optional<String> domain, List<AddressRange> parts, AddressRange nodeRange,
                            ScaleConfig scale, WalConfig wal, String subnetPath) {

    public NetworkConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        hostAddress = hostAddress == null ? Optional.empty() : hostAddress;
        wal = wal == null ? WalConfig.defaults() : wal;
        domain = domain == null ? Optional.empty() : domain;
        parts = List.copyOf(parts);
        Objects.requireNonNull(nodeRange, "nodeRange");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(subnetPath, "subnetPath");
    }

    /** Address of node {@code index} (0-based); {@link IllegalArgumentException} unless 0 <= index < max_nodes. */
    /**
     * The address of node {@code index}. Indexes are never reused after a node is removed (its rows
     * keep its key range), so they can go past max_nodes; the part's address range bounds them.
     */
    public Ipv4Address nodeAddress(int index) {
        if (index < 0 || index >= nodeRange.size()) {
            throw new IllegalArgumentException("node index " + index + " has no address: the range "
                    + nodeRange.start() + ".." + nodeRange.end() + " of network " + id + " holds "
                    + nodeRange.size() + " nodes (system.networks[].config.net.parts[].ipv4)");
        }
        return nodeRange.address(index);
    }

    /** e.g. "172.28.5.0/24". */
    public String subnetCidr() {
        return subnet.cidr();
    }
}
