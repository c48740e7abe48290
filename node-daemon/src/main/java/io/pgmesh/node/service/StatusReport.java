package io.pgmesh.node.service;

import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.PgErrors;
import io.pgmesh.node.pg.Sql;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PublicationInfo;
import io.pgmesh.protocol.SubscriptionInfo;
import io.pgmesh.protocol.TopologyHost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds {@link NodeStatus} from the topology and the catalog; PostgreSQL being down is not an error. */
final class StatusReport {

    /**
     * Rows are counted exactly up to this many per table (a bounded scan: status is polled while nodes start and
     * join); a bigger table reports PostgreSQL's estimate instead.
     */
    static final long ROW_COUNT_LIMIT = 100_000;

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
            c = connections.openForReading(dbName == null ? NodeConnections.MAINTENANCE_DB : dbName);
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
            List<Catalog.SubscriptionRow> subscriptionRows = catalog.subscriptions();
            Catalog.ReceiverClock clock = catalog.receiverClock();
            java.time.Duration staleAfter = StreamState.staleAfter(clock.walReceiverTimeoutMillis());
            List<SubscriptionInfo> subscriptions = subscriptionRows.stream()
                    .map(row -> describe(row, clock.now(), staleAfter)).toList();
            // While an initial copy runs, its rows are invisible but scanned: no count then.
            List<NodeStatus.TableRows> rows = subscriptions.stream().allMatch(SubscriptionInfo::synced)
                    ? rows(c, replicatedTables(node, publications)) : List.of();
            return new NodeStatus(node, index, cluster, true, version, dbName, publications, subscriptions,
                    catalog.conflictCounts(), rows);
        } catch (SQLException e) {
            if (PgErrors.isLocalServerUnavailable(e)) {
                // it went away while being read (crash, stop): that is what status reports, not an error
                return new NodeStatus(node, index, cluster, false, null, dbName, List.of(), List.of(), Map.of());
            }
            throw PgErrors.failed(node == null ? NodeRpcService.UNCONFIGURED : node, "read the node's status", e);
        }
    }

    /**
     * The replicated tables: the ones this node's publications are named for (pub_&lt;node&gt;_&lt;table&gt;), in
     * name order. A publication also carries the table's tombstones, which are not counted.
     */
    static List<String> replicatedTables(String node, List<PublicationInfo> publications) {
        if (node == null) {
            return List.of();
        }
        String prefix = io.pgmesh.protocol.MeshNames.publication(node, "");
        return publications.stream().map(PublicationInfo::name).filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .filter(table -> publications.stream().anyMatch(p -> p.tables().contains(table)))
                .distinct().sorted().toList();
    }

    private static List<NodeStatus.TableRows> rows(Connection c, List<String> tables) throws SQLException {
        List<NodeStatus.TableRows> rows = new ArrayList<>();
        for (String table : tables) {
            long counted;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + Sql.table(table)
                         + " LIMIT " + (ROW_COUNT_LIMIT + 1) + ") s")) {
                rs.next();
                counted = rs.getLong(1);
            }
            Long estimate = null;
            if (counted > ROW_COUNT_LIMIT) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
                    ps.setString(1, Sql.table(table));
                    try (ResultSet rs = ps.executeQuery()) {
                        estimate = rs.next() ? rs.getLong(1) : null;
                    }
                }
            }
            rows.add(tableRows(table, counted, estimate));
        }
        return rows;
    }

    /** A bounded count is exact below the limit; above it, the estimate, never less than what was counted. */
    static NodeStatus.TableRows tableRows(String table, long counted, Long estimate) {
        if (counted <= ROW_COUNT_LIMIT) {
            return new NodeStatus.TableRows(table, counted, true);
        }
        return new NodeStatus.TableRows(table, Math.max(counted, estimate == null ? 0 : estimate), false);
    }

    /**
     * A subscription as it stands at {@code now} (the server's clock, read after the rows): streaming only when its
     * worker heard from the peer within {@code staleAfter} ({@link StreamState}).
     */
    private SubscriptionInfo describe(Catalog.SubscriptionRow row, java.time.Instant now,
                                      java.time.Duration staleAfter) {
        java.time.Instant lastMessage = row.lastMessageAt() == null ? null : row.lastMessageAt().toInstant();
        String state = StreamState.of(row.enabled(), row.workerPid(), row.receivedLsn(), lastMessage, now,
                staleAfter);
        return new SubscriptionInfo(row.name(), peerOf(row.name()), String.join(",", row.publications()),
                row.enabled(), state, row.receivedLsn(),
                row.lastMessageAt() == null ? null : row.lastMessageAt().toString(), row.tablesReady(),
                row.tablesTotal(), StreamState.ageMillis(lastMessage, now));
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
