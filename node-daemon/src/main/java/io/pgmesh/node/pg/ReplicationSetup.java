package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.SubscriptionOptions;
import io.pgmesh.protocol.TopologyHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/** Publications and subscriptions, on a connection (autocommit) to the replicated database. */
public final class ReplicationSetup {

    public static final int PEER_PORT = 5432;
    /** How long a peer may take to accept a TCP connection before it counts as unreachable. */
    static final int PROBE_TIMEOUT_MILLIS = 1500;
    /** Bound on statements that may contact a peer (DROP SUBSCRIPTION drops the peer's slot). */
    static final String PEER_STATEMENT_TIMEOUT = "20s";

    private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;
    private final PeerTls tls;

    public ReplicationSetup(Connection connection, StepLog steps, PeerTls tls) {
        this.tls = tls;
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.steps = steps;
    }

    /** The publication, with every one of {@code tables} (created with them, or missing ones added). */
    public void ensurePublication(String publication, List<String> tables) throws SQLException {
        var published = catalog.publicationTables(publication);
        if (published.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "publication " + publication + " of " + String.join(", ", tables),
                    "CREATE PUBLICATION " + Sql.ident(publication) + " FOR TABLE "
                            + tables.stream().map(Sql::table).collect(Collectors.joining(", ")));
            return;
        }
        for (String table : tables) {
            if (!published.get().contains(table)) {
                steps.execute(connection, StepLog.Verb.ALTER, "publication " + publication + " to add table " + table,
                        "ALTER PUBLICATION " + Sql.ident(publication) + " ADD TABLE " + Sql.table(table));
            }
        }
    }

    /** Subscribes {@code node} to {@code peer}'s publication of {@code table}, by the mesh's naming rule. */
    public void ensureSubscriptionTo(String node, TopologyHost peer, String database, String table, Credentials login)
            throws SQLException {
        ensureSubscriptionTo(node, peer, database, table, login, SubscriptionOptions.DEFAULT);
    }

    /**
     * Subscribes {@code node} to {@code peer}'s publication of {@code table} as {@code options} say.
     * An existing subscription is left as it is (whatever options it was made with).
     */
    public void ensureSubscriptionTo(String node, TopologyHost peer, String database, String table, Credentials login,
                                     SubscriptionOptions options) throws SQLException {
        String subscription = MeshNames.subscription(node, peer.name(), table);
        ensureSubscription(subscription, peer, database, login, MeshNames.publication(peer.name(), table), options);
        ensureSubscribedTable(subscription, peer, ConflictDdl.tombstoneTable(table));
        ensureSubscribedTable(subscription, peer, UpdateNotes.notesTable(table));
    }

    /**
     * A subscription made before the peer published {@code table} (the tombstone table of an
     * upgraded mesh) does not apply its changes until refreshed. Refreshes (copy_data = false)
     * when the table exists here but the subscription lacks it; while the peer does not publish
     * it yet, the refresh adds nothing and the next call refreshes again.
     */
    public void ensureSubscribedTable(String subscription, TopologyHost peer, String table) throws SQLException {
        if (!catalog.tableExists(table) || catalog.subscriptionHasTable(subscription, table)) {
            return;
        }
        if (!catalog.subscription(subscription).map(Catalog.SubscriptionSetting::enabled).orElse(false)) {
            // REFRESH is refused on a disabled subscription; the call after it is enabled refreshes.
            return;
        }
        steps.execute(connection, StepLog.Verb.REFRESH, "subscription " + subscription + " to " + peer.name()
                        + " to receive table " + table,
                "ALTER SUBSCRIPTION " + Sql.ident(subscription) + " REFRESH PUBLICATION WITH (copy_data = false)");
    }

    /**
     * Subscribes to a peer's publication: no initial copy (every node starts empty or already
     * has the rows) and origin = none, so changes that came from elsewhere are not sent back.
     */
    public void ensureSubscription(String subscription, TopologyHost peer, String database, Credentials login,
                                   String publication) throws SQLException {
        ensureSubscription(subscription, peer, database, login, publication, SubscriptionOptions.DEFAULT);
    }

    /**
     * As {@link #ensureSubscription(String, TopologyHost, String, Credentials, String)} with
     * {@code options}: copy_data, an existing slot on the peer (create_slot = false; it must exist
     * there, which is checked first, since PostgreSQL would create the subscription anyway and its
     * worker would fail forever) and enabled.
     */
    public void ensureSubscription(String subscription, TopologyHost peer, String database, Credentials login,
                                   String publication, SubscriptionOptions options) throws SQLException {
        if (catalog.subscriptionExists(subscription)) {
            return;
        }
        String conninfo = conninfo(peer.address(), database, login, tls);
        if (options.existingSlot() != null) {
            requireSlotOnPeer(peer, database, login, options.existingSlot());
        }
        String how = options.equals(SubscriptionOptions.DEFAULT) ? ""
                : " (" + (options.copyData() ? "copying its rows" : "no copy")
                + (options.existingSlot() == null ? "" : ", existing slot " + options.existingSlot())
                + (options.enabled() ? "" : ", disabled") + ")";
        steps.execute(connection, StepLog.Verb.CREATE, "subscription " + subscription + " to " + peer.name()
                        + " (" + peer.address() + ") publication " + publication + how,
                ReplicationSql.createSubscription(subscription, conninfo, publication, options));
    }

    /** The logical pgoutput slot {@code slot} must exist, unused, on the peer in {@code database}. */
    private void requireSlotOnPeer(TopologyHost peer, String database, Credentials login, String slot) {
        Properties props = new Properties();
        props.setProperty("user", login.user());
        tls.applyTo(props);
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "15");
        props.setProperty("ApplicationName", "pgmesh-node-daemon");
        String url = "jdbc:postgresql://" + peer.address() + ":" + PEER_PORT + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
        Optional<Catalog.SlotRow> found;
        try (Connection remote = DriverManager.getConnection(url, props)) {
            found = new Catalog(remote).slot(slot);
        } catch (SQLException e) {
            throw PgErrors.failed(steps.node(), "look up slot " + slot + " on peer " + peer.name() + " ("
                    + peer.address() + ")", e);
        }
        String problem = found.isEmpty() ? "does not exist on peer " + peer.name() + "; call ensureSlot on "
                + peer.name() + " first" : slotProblem(found.get(), database);
        if (problem != null) {
            throw NodeOperationException.invalid(steps.node(), "options.existingSlot", "replication slot " + slot
                    + " " + problem);
        }
        if (found.get().activePid() != null) {
            throw NodeOperationException.invalid(steps.node(), "options.existingSlot", "replication slot " + slot
                    + " on peer " + peer.name() + " is in use by process " + found.get().activePid()
                    + " (another subscriber streams from it)");
        }
    }

    /** Why an existing slot cannot serve a subscription to {@code database}, or null when it can. */
    static String slotProblem(Catalog.SlotRow row, String database) {
        if (!"logical".equals(row.slotType())) {
            return "is a " + row.slotType() + " slot, not a logical one";
        }
        if (!ReplicationSql.PLUGIN.equals(row.plugin())) {
            return "uses output plugin " + row.plugin() + ", not " + ReplicationSql.PLUGIN;
        }
        if (!database.equals(row.database())) {
            return "belongs to database " + row.database() + ", not " + database;
        }
        return null;
    }

    /**
     * The logical pgoutput slot {@code slot} in this connection's database, created unless it
     * exists. Returns its LSN (the consistent point when created, else confirmed_flush_lsn) and
     * whether it was created.
     */
    public SlotState ensureSlot(String database, String slot) throws SQLException {
        Optional<Catalog.SlotRow> existing = catalog.slot(slot);
        if (existing.isPresent()) {
            String problem = slotProblem(existing.get(), database);
            if (problem != null) {
                throw NodeOperationException.invalid(steps.node(), "request.slotName", "replication slot " + slot
                        + " already exists but " + problem);
            }
            return new SlotState(existing.get().confirmedFlushLsn(), false);
        }
        String[] lsn = new String[1];
        steps.run(StepLog.Verb.CREATE, "logical replication slot " + slot + " (" + ReplicationSql.PLUGIN + ")", () -> {
            try (PreparedStatement ps = connection.prepareStatement(ReplicationSql.createLogicalSlot())) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lsn[0] = rs.getString(1);
                }
            }
        });
        return new SlotState(lsn[0], true);
    }

    /** A slot's LSN and whether this call created it. */
    public record SlotState(String lsn, boolean created) {
    }

    /**
     * Drops the slot unless it is absent. A walsender using it is terminated first (the subscriber
     * may reconnect: then it is terminated again), until the slot is dropped or {@code waitMillis}
     * passed.
     */
    public void dropSlot(String database, String slot, long waitMillis) throws SQLException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (true) {
            Optional<Catalog.SlotRow> existing = catalog.slot(slot);
            if (existing.isEmpty()) {
                return;
            }
            String problem = slotProblem(existing.get(), database);
            if (problem != null) {
                throw NodeOperationException.invalid(steps.node(), "request.slotName", "replication slot " + slot
                        + " is not one of this database's subscriber slots: it " + problem);
            }
            Integer pid = existing.get().activePid();
            if (pid != null) {
                steps.run(StepLog.Verb.TERMINATE, "process " + pid + " using replication slot " + slot, () -> {
                    try (PreparedStatement ps = connection.prepareStatement(ReplicationSql.terminateBackend())) {
                        ps.setInt(1, pid);
                        ps.executeQuery().close();
                    }
                });
                waitUntilInactive(slot, Math.min(deadline, System.nanoTime() + 3_000_000_000L));
            }
            try (PreparedStatement ps = connection.prepareStatement(ReplicationSql.dropSlot())) {
                ps.setString(1, slot);
                log.info("[{}] dropping replication slot {}", steps.node(), slot);
                ps.executeQuery().close();
                steps.record("dropped replication slot " + slot);
                return;
            } catch (SQLException e) {
                if ("42704".equals(e.getSQLState())) {
                    return; // dropped meanwhile
                }
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw PgErrors.failed(steps.node(), "drop replication slot " + slot, e);
                }
                // in use again (the subscriber reconnected): terminate again
            }
        }
    }

    private void waitUntilInactive(String slot, long deadlineNanos) throws SQLException {
        while (System.nanoTime() < deadlineNanos) {
            Optional<Catalog.SlotRow> row = catalog.slot(slot);
            if (row.isEmpty() || row.get().activePid() == null) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** ENABLE or DISABLE the subscription when pg_subscription.subenabled differs; it must exist. */
    public void ensureSubscriptionEnabled(String subscription, boolean enabled) throws SQLException {
        Catalog.SubscriptionSetting setting = catalog.subscription(subscription).orElseThrow(() ->
                NodeOperationException.notConfigured(steps.node(), "there is no subscription " + subscription
                        + "; call subscribeToNode first"));
        if (setting.enabled() == enabled) {
            return;
        }
        steps.execute(connection, enabled ? StepLog.Verb.ENABLE : StepLog.Verb.DISABLE, "subscription " + subscription,
                ReplicationSql.enableSubscription(subscription, enabled));
    }

    /**
     * Drops the subscription unless it is absent. When its peer accepts a TCP connection, plain
     * DROP SUBSCRIPTION, which also drops the slot on the peer (bounded by a statement timeout);
     * when the peer is unreachable, or that drop fails, the subscription is first disabled and
     * detached from its slot (slot_name = NONE), so the drop does not need the peer: the slot is
     * then left on the peer, for dropSlot there.
     */
    public void dropSubscription(String subscription, String peer) throws SQLException {
        Optional<Catalog.SubscriptionSetting> existing = catalog.subscription(subscription);
        if (existing.isEmpty()) {
            return;
        }
        Optional<String> host = ReplicationSql.conninfoHost(existing.get().conninfo());
        boolean reachable = host.map(h -> reachable(h, PEER_PORT, PROBE_TIMEOUT_MILLIS)).orElse(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET statement_timeout = " + Sql.literal(PEER_STATEMENT_TIMEOUT));
        }
        try {
            if (reachable && steps.attempt(StepLog.Verb.DROP, "subscription " + subscription + " and its slot on peer "
                    + peer + " (" + host.get() + ")", () -> executeSql(ReplicationSql.dropSubscription(subscription)))) {
                return;
            }
            if (catalog.subscription(subscription).map(Catalog.SubscriptionSetting::enabled).orElse(false)) {
                steps.execute(connection, StepLog.Verb.DISABLE, "subscription " + subscription,
                        ReplicationSql.enableSubscription(subscription, false));
            }
            steps.execute(connection, StepLog.Verb.DETACH, "subscription " + subscription + " from its slot on peer "
                    + peer + (reachable ? " (dropping it there failed)" : " (unreachable"
                    + host.map(h -> " at " + h).orElse("") + ")") + ", leaving the slot there",
                    ReplicationSql.detachSlot(subscription));
            steps.execute(connection, StepLog.Verb.DROP, "subscription " + subscription,
                    ReplicationSql.dropSubscription(subscription));
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("RESET statement_timeout");
            }
        }
    }

    private void executeSql(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Whether host:port accepts a TCP connection within the timeout. */
    static boolean reachable(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * libpq connection string to a peer; every value quoted for libpq. No password: the replication role logs in
     * with this node's client certificate ({@link PeerTls}).
     */
    public static String conninfo(String address, String database, Credentials login, PeerTls tls) {
        return "host=" + Sql.conninfoValue(address) + " port=" + PEER_PORT
                + " dbname=" + Sql.conninfoValue(database) + " user=" + Sql.conninfoValue(login.user())
                + tls.conninfoOptions();
    }
}
