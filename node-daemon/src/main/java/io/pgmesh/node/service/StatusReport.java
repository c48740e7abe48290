package io.pgmesh.node.service;

import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.PgErrors;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PublicationInfo;
import io.pgmesh.protocol.SubscriptionInfo;
import io.pgmesh.protocol.TopologyHost;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds {@link NodeStatus} from the topology and the catalog; PostgreSQL being down is not an error. */
final class StatusReport {

    private final NodeConnections connections;
    private final NetworkTopology topology;
    private final StateStore.DatabaseRoles database;

    StatusReport(NodeConnections connections, NetworkTopology topology, StateStore.DatabaseRoles database) {
        this.connections = connections;
        this.topology = topology;
        this.database = database;
    }

    NodeStatus read() {
        String node = topology == null ? null : topology.nodeName();
        int index = topology == null ? -1 : topology.nodeIndex();
        String cluster = topology == null ? null : topology.cluster();
        String dbName = database == null ? null : database.name();
        Connection c;
        try {
            c = connections.open(dbName == null ? NodeConnections.MAINTENANCE_DB : dbName);
        } catch (SQLException e) {
            return new NodeStatus(node, index, cluster, false, null, dbName, List.of(), List.of(), Map.of());
        }
        try (c) {
            Catalog catalog = new Catalog(c);
            String version = catalog.serverVersion();
            if (dbName == null) {
                return new NodeStatus(node, index, cluster, true, version, null, List.of(), List.of(), Map.of());
            }
            List<PublicationInfo> publications = catalog.publications();
            List<SubscriptionInfo> subscriptions = catalog.subscriptions().stream().map(this::describe).toList();
            return new NodeStatus(node, index, cluster, true, version, dbName, publications, subscriptions,
                    catalog.conflictCounts());
        } catch (SQLException e) {
            throw PgErrors.failed(node == null ? NodeRpcService.UNCONFIGURED : node, "read the node's status", e);
        }
    }

    private SubscriptionInfo describe(Catalog.SubscriptionRow row) {
        String state = !row.enabled() ? SubscriptionInfo.DISABLED
                : row.workerPid() != null ? SubscriptionInfo.STREAMING : SubscriptionInfo.STOPPED;
        return new SubscriptionInfo(row.name(), peerOf(row.name()), String.join(",", row.publications()),
                row.enabled(), state, row.receivedLsn(),
                row.lastMessageAt() == null ? null : row.lastMessageAt().toString(), row.tablesReady(),
                row.tablesTotal());
    }

    /** The peer in sub_&lt;node&gt;_&lt;peer&gt;_&lt;table&gt;: the longest topology host name that fits. */
    String peerOf(String subscription) {
        if (topology == null) {
            return null;
        }
        String prefix = "sub_" + topology.nodeName() + "_";
        if (!subscription.startsWith(prefix)) {
            return null;
        }
        String rest = subscription.substring(prefix.length());
        return topology.hosts().stream().map(TopologyHost::name)
                .filter(name -> rest.startsWith(name + "_"))
                .max(Comparator.comparingInt(String::length))
                .orElseGet(() -> rest.contains("_") ? rest.substring(0, rest.indexOf('_')) : null);
    }
}
