package io.pgmesh.orchestrator.config;

import io.pgmesh.protocol.TableSpec;

import java.util.List;
import java.util.Objects;

/**
 * A loaded, valid sysconfig. Obtain one from {@link SysConfigLoader}; the accessors below are shortcuts into
 * the network selected by {@code system.config.network}.
 *
 * @param networkId      {@code system.config.network}
 * @param roles          {@code system.config.roles}
 * @param databaseConfig {@code system.config.database}
 * @param networks       {@code system.networks}, in file order
 * @param poolGroups     {@code system.config.pool.groups}
 * @param runtime        {@code system.runtime}: where the nodes run
 * @param source         where the config was read from (the file), for problems found about it after loading
 */
public record SysConfig(String networkId, Roles roles, DatabaseConfig databaseConfig, List<NetworkConfig> networks,
                        List<PoolGroupConfig> poolGroups, RuntimeConfig runtime, String source) {

    public SysConfig {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(databaseConfig, "databaseConfig");
        networks = List.copyOf(networks);
        poolGroups = List.copyOf(poolGroups);
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(source, "source");
    }

    public NetworkConfig selectedNetwork() {
        return networks.stream().filter(n -> n.id().equals(networkId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no network with id " + networkId));
    }

    /** Address of node {@code index} (0-based); {@link IllegalArgumentException} unless 0 <= index < max_nodes. */
    public Ipv4Address nodeAddress(int index) {
        return selectedNetwork().nodeAddress(index);
    }

    public Ipv4Address gateway() {
        return selectedNetwork().gateway();
    }

    /** The selected network's subnet, e.g. "172.28.5.0/24". */
    public String subnetCidr() {
        return selectedNetwork().subnetCidr();
    }

    public int minNodes() {
        return selectedNetwork().scale().minNodes();
    }

    /** Most WAL (MiB) each node's replication slots may hold back for peers that are down. */
    public int maxSlotWalKeepMb() {
        return selectedNetwork().wal().maxSlotKeepMb();
    }

    public int maxNodes() {
        return selectedNetwork().scale().maxNodes();
    }

    /** The database name. */
    public String database() {
        return databaseConfig.name();
    }

    public List<TableSpec> tables() {
        return databaseConfig.tables();
    }

    /** The pool group named {@code id}, if configured. */
    public java.util.Optional<PoolGroupConfig> poolGroup(String id) {
        return poolGroups.stream().filter(g -> g.id().equals(id)).findFirst();
    }
}
