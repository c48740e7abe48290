package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the RPC requests that the configuration and the cluster's secrets determine. */
public final class MeshSpecs {

    private MeshSpecs() {
    }

    /** The passwords configured in sysconfig.json, by secret role. */
    public static Map<String, Optional<String>> configuredPasswords(SysConfig config) {
        return Map.of(
                ClusterSecrets.OWNER, config.roles().owner().password(),
                ClusterSecrets.REPLICATOR, config.roles().replication().password(),
                ClusterSecrets.WRITER, config.roles().testWriter().password(),
                ClusterSecrets.READER, config.roles().testReader().password());
    }

    public static DatabaseSpec database(SysConfig config, ClusterSecrets secrets) {
        return new DatabaseSpec(config.database(),
                new Credentials(config.roles().owner().id(), secrets.password(ClusterSecrets.OWNER)),
                replication(config, secrets),
                writer(config, secrets),
                reader(config, secrets));
    }

    public static Credentials replication(SysConfig config, ClusterSecrets secrets) {
        return new Credentials(config.roles().replication().id(), secrets.password(ClusterSecrets.REPLICATOR));
    }

    public static Credentials writer(SysConfig config, ClusterSecrets secrets) {
        return new Credentials(config.roles().testWriter().id(), secrets.password(ClusterSecrets.WRITER));
    }

    public static Credentials reader(SysConfig config, ClusterSecrets secrets) {
        return new Credentials(config.roles().testReader().id(), secrets.password(ClusterSecrets.READER));
    }

    public static List<String> tableNames(SysConfig config) {
        return config.tables().stream().map(TableSpec::name).toList();
    }

    /** The topology node {@code self} is told: every member in {@code hosts}. */
    public static NetworkTopology topology(String cluster, String networkName, TopologyHost self,
                                           List<TopologyHost> hosts) {
        return new NetworkTopology(cluster, self.name(), self.index(), networkName, hosts);
    }
}
