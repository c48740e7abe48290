package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.ReplicationSql;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.SubscriptionOptions;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.SettledCutoffs;
import io.pgmesh.protocol.Tombstone;
import io.pgmesh.protocol.SqlNames;
import io.pgmesh.protocol.TopologyHost;
import io.pgmesh.protocol.UnsettledKeysRequest;

import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.TransactionWaitRequest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of request fields before anything runs; each failure is INVALID_REQUEST naming the
 * field by its path in the request, e.g. {@code topology.hosts[2].address}.
 */
final class RequestValidation {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /** A DNS name as Docker gives services and containers (RFC 1123 labels). */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final int MAX_PASSWORD_LENGTH = 1024;
    /** Most buckets a digest may use. */
    static final int MAX_BUCKETS = 4096;
    /** Most buckets one rowHashes call may list. */
    static final int MAX_BUCKET_INDEXES = 256;
    /** Longest wait a call may ask for (below the orchestrator's call timeout of 120 s). */
    static final long MAX_WAIT_MILLIS = 100_000;

    private final String node;

    RequestValidation(String node) {
        this.node = node;
    }

    void required(Object value, String field) {
        if (value == null) {
            throw NodeOperationException.invalid(node, field, "is required");
        }
    }

    void name(String value, String field) {
        SqlNames.problem(value).ifPresent(p -> {
            throw NodeOperationException.invalid(node, field, p);
        });
    }

    void login(Credentials login, String field) {
        required(login, field);
        name(login.user(), field + ".user");
        String password = login.password();
        if (password == null || password.isEmpty()) {
            throw NodeOperationException.invalid(node, field + ".password", "must not be empty");
        }
        if (password.indexOf('\0') >= 0) {
            throw NodeOperationException.invalid(node, field + ".password", "must not contain a NUL character");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw NodeOperationException.invalid(node, field + ".password",
                    "must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    void host(TopologyHost host, String field) {
        required(host, field);
        name(host.name(), field + ".name");
        if (host.index() < 0) {
            throw NodeOperationException.invalid(node, field + ".index", "must be >= 0, got " + host.index());
        }
        // a name when peers find each other by DNS (a Swarm service, whose tasks change address when recreated)
        if (host.address() == null || !(IPV4.matcher(host.address()).matches()
                || HOSTNAME.matcher(host.address()).matches() && !host.address().matches("[0-9.]+"))) {
            throw NodeOperationException.invalid(node, field + ".address",
                    "'" + host.address() + "' is not an IPv4 address like 10.1.0.5 or a host name like pg-node1");
        }
    }

    void topology(NetworkTopology topology) {
        required(topology, "topology");
        name(topology.nodeName(), "topology.nodeName");
        if (topology.nodeIndex() < 0) {
            throw NodeOperationException.invalid(node, "topology.nodeIndex", "must be >= 0, got " + topology.nodeIndex());
        }
        if (topology.cluster() == null || topology.cluster().isBlank()) {
            throw NodeOperationException.invalid(node, "topology.cluster", "must not be empty");
        }
        List<TopologyHost> hosts = topology.hosts();
        Set<String> names = new HashSet<>();
        Set<Integer> indices = new HashSet<>();
        boolean self = false;
        for (int i = 0; i < hosts.size(); i++) {
            String field = "topology.hosts[" + i + "]";
            TopologyHost host = hosts.get(i);
            host(host, field);
            if (!names.add(host.name())) {
                throw NodeOperationException.invalid(node, field + ".name", "duplicate host name '" + host.name() + "'");
            }
            if (!indices.add(host.index())) {
                throw NodeOperationException.invalid(node, field + ".index", "duplicate host index " + host.index());
            }
            if (host.name().equals(topology.nodeName())) {
                if (host.index() != topology.nodeIndex()) {
                    throw NodeOperationException.invalid(node, field + ".index", "this node " + host.name()
                            + " has index " + topology.nodeIndex() + " but its host entry says " + host.index());
                }
                self = true;
            }
        }
        if (!self) {
            throw NodeOperationException.invalid(node, "topology.hosts",
                    "must include this node " + topology.nodeName());
        }
    }

    /** A replication slot name: a valid name without '-' (PostgreSQL allows only [a-z0-9_] in slot names). */
    void slotName(String value, String field) {
        ReplicationSql.slotNameProblem(value).ifPresent(p -> {
            throw NodeOperationException.invalid(node, field, p);
        });
    }

    void slotRequest(SlotRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        slotName(request.slotName(), "request.slotName");
    }

    /** Options of a subscription: an existing slot must be a valid slot name. */
    void subscriptionOptions(SubscriptionOptions options) {
        if (options != null && options.existingSlot() != null) {
            slotName(options.existingSlot(), "options.existingSlot");
        }
    }

    /**
     * Database, peer and tables of a request about this node's subscriptions to one peer; each
     * table's subscription name sub_&lt;node&gt;_&lt;peer&gt;_&lt;table&gt; must be a valid name.
     */
    void peerTables(String database, String peer, List<String> tables, String selfName) {
        name(database, "request.database");
        name(peer, "request.peer");
        if (peer.equals(selfName)) {
            throw NodeOperationException.invalid(node, "request.peer", "this node has no subscriptions to itself");
        }
        if (tables.isEmpty()) {
            throw NodeOperationException.invalid(node, "request.tables", "must list at least one table");
        }
        for (int i = 0; i < tables.size(); i++) {
            String field = "request.tables[" + i + "]";
            name(tables.get(i), field);
            name(MeshNames.subscription(selfName, peer, tables.get(i)), field);
        }
    }

    void enableRequest(EnableRequest request, String selfName) {
        required(request, "request");
        peerTables(request.database(), request.peer(), request.tables(), selfName);
    }

    void peerRequest(PeerRequest request, String selfName) {
        required(request, "request");
        peerTables(request.database(), request.peer(), request.tables(), selfName);
    }

    void digestRequest(DigestRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
        buckets(request.buckets());
        settled(request.settled(), "request.settled");
        if (request.leftOut().size() > DigestRequest.MAX_LEFT_OUT) {
            throw NodeOperationException.invalid(node, "request.leftOut", "must list at most "
                    + DigestRequest.MAX_LEFT_OUT + " keys, got " + request.leftOut().size());
        }
        for (int i = 0; i < request.leftOut().size(); i++) {
            if (request.leftOut().get(i) == null) {
                throw NodeOperationException.invalid(node, "request.leftOut[" + i + "]", "must be a key, got null");
            }
        }
    }

    /** Cutoffs of settled changes, when given: distinct origins 0..MAX_ORIGINS-1, each with an instant. */
    void settled(SettledCutoffs settled, String field) {
        if (settled == null) {
            return;
        }
        List<SettledCutoffs.OriginCutoff> origins = settled.origins();
        if (origins.size() > SettledCutoffs.MAX_ORIGINS) {
            throw NodeOperationException.invalid(node, field + ".origins", "must list at most "
                    + SettledCutoffs.MAX_ORIGINS + " origins, got " + origins.size());
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < origins.size(); i++) {
            SettledCutoffs.OriginCutoff o = origins.get(i);
            String at = field + ".origins[" + i + "]";
            required(o, at);
            if (o.origin() < 0 || o.origin() >= SettledCutoffs.MAX_ORIGINS) {
                throw NodeOperationException.invalid(node, at + ".origin", "must be a node index in 0.."
                        + (SettledCutoffs.MAX_ORIGINS - 1) + ", got " + o.origin());
            }
            if (!seen.add(o.origin())) {
                throw NodeOperationException.invalid(node, at + ".origin", "origin " + o.origin() + " is listed twice");
            }
            instant(o.before(), at + ".before");
            if (o.since() != null && instant(o.since(), at + ".since").isAfter(instant(o.before(), at + ".before"))) {
                throw NodeOperationException.invalid(node, at + ".since", "must not be after before (" + o.before()
                        + "), got " + o.since());
            }
        }
    }

    /** A list of keys of one table: 1..MAX_IDS of them. */
    private void ids(int count, String field) {
        if (count == 0) {
            throw NodeOperationException.invalid(node, field, "must list at least one row");
        }
        if (count > RowStatesRequest.MAX_IDS) {
            throw NodeOperationException.invalid(node, field, "must list at most " + RowStatesRequest.MAX_IDS
                    + " rows per call, got " + count);
        }
    }

    void rowStatesRequest(RowStatesRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
        ids(request.ids().size(), "request.ids");
        for (int i = 0; i < request.ids().size(); i++) {
            required(request.ids().get(i), "request.ids[" + i + "]");
        }
    }

    void repairRowsRequest(RepairRowsRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
        ids(request.rows().size(), "request.rows");
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < request.rows().size(); i++) {
            RowState row = request.rows().get(i);
            String at = "request.rows[" + i + "]";
            required(row, at);
            if (!seen.add(row.id())) {
                throw NodeOperationException.invalid(node, at + ".id", "row " + row.id() + " is listed twice");
            }
            if (row.row() != null) {
                instant(row.row().createdTs(), at + ".row.createdTs");
                instant(row.row().modifiedTs(), at + ".row.modifiedTs");
                required(row.row().values(), at + ".row.values");
            }
            for (int t = 0; t < row.tombstones().size(); t++) {
                Tombstone tomb = row.tombstones().get(t);
                required(tomb, at + ".tombstones[" + t + "]");
                instant(tomb.deletedTs(), at + ".tombstones[" + t + "].deletedTs");
                instant(tomb.rowModifiedTs(), at + ".tombstones[" + t + "].rowModifiedTs");
            }
        }
    }

    void explainRequest(ExplainRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
    }

    /**
     * A replicated table's name: a valid name, short enough for its tombstone table
     * (pgmesh_tombstones_&lt;table&gt;) and not in the prefix of pgmesh's own tables.
     */
    void tableName(String table, String field) {
        name(table, field);
        if (table.length() > NodeRpcService.MAX_TABLE_NAME) {
            throw NodeOperationException.invalid(node, field, "must be at most " + NodeRpcService.MAX_TABLE_NAME
                    + " characters (pgmesh adds a table " + ConflictDdl.TOMBSTONES_PREFIX + "<table>), got "
                    + table.length());
        }
        if (table.startsWith(ConflictDdl.RESERVED_PREFIX)) {
            throw NodeOperationException.invalid(node, field, "names starting with '" + ConflictDdl.RESERVED_PREFIX
                    + "' are reserved for pgmesh's own tables");
        }
    }

    /** An ISO-8601 instant such as {@code 2026-11-25T03:00:00Z}. */
    Instant instant(String value, String field) {
        required(value, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw NodeOperationException.invalid(node, field, "must be an ISO-8601 instant such as"
                    + " 2026-11-25T03:00:00Z, got '" + value + "'");
        }
    }

    /** How long a call may wait: 0 (only look) up to {@value #MAX_WAIT_MILLIS} ms. */
    void waitMillis(long value, String field) {
        if (value < 0 || value > MAX_WAIT_MILLIS) {
            throw NodeOperationException.invalid(node, field, "must be between 0 and " + MAX_WAIT_MILLIS
                    + " ms, got " + value);
        }
    }

    void transactionWaitRequest(TransactionWaitRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        instant(request.startedBefore(), "request.startedBefore");
        waitMillis(request.timeoutMillis(), "request.timeoutMillis");
    }

    void pruneRequest(PruneRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        required(request.tables(), "request.tables");
        if (request.tables().isEmpty()) {
            throw NodeOperationException.invalid(node, "request.tables", "must list at least one table");
        }
        for (int i = 0; i < request.tables().size(); i++) {
            tableName(request.tables().get(i), "request.tables[" + i + "]");
        }
        instant(request.cutoff(), "request.cutoff");
    }

    void unsettledKeysRequest(UnsettledKeysRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
        required(request.settled(), "request.settled");
        settled(request.settled(), "request.settled");
    }

    void rowHashRequest(RowHashRequest request) {
        required(request, "request");
        name(request.database(), "request.database");
        name(request.table(), "request.table");
        buckets(request.buckets());
        settled(request.settled(), "request.settled");
        List<Integer> indexes = request.bucketIndexes();
        if (indexes.isEmpty()) {
            throw NodeOperationException.invalid(node, "request.bucketIndexes", "must list at least one bucket");
        }
        if (indexes.size() > MAX_BUCKET_INDEXES) {
            throw NodeOperationException.invalid(node, "request.bucketIndexes",
                    "must list at most " + MAX_BUCKET_INDEXES + " buckets, got " + indexes.size());
        }
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            if (index < 0 || index >= request.buckets()) {
                throw NodeOperationException.invalid(node, "request.bucketIndexes", "bucket index at position " + i
                        + " must be in 0.." + (request.buckets() - 1) + ", got " + index);
            }
        }
    }

    private void buckets(int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw NodeOperationException.invalid(node, "request.buckets",
                    "must be in 1.." + MAX_BUCKETS + ", got " + buckets);
        }
    }
}
