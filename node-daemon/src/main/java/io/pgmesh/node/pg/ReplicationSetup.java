package io.pgmesh.node.pg;

import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.TopologyHost;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** Publications and subscriptions, on a connection (autocommit) to the replicated database. */
public final class ReplicationSetup {

    public static final int PEER_PORT = 5432;

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;

    public ReplicationSetup(Connection connection, StepLog steps) {
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
        String subscription = MeshNames.subscription(node, peer.name(), table);
        ensureSubscription(subscription, peer, database, login, MeshNames.publication(peer.name(), table));
        ensureSubscribedTable(subscription, peer, ConflictDdl.tombstoneTable(table));
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
        if (catalog.subscriptionExists(subscription)) {
            return;
        }
        steps.execute(connection, StepLog.Verb.CREATE, "subscription " + subscription + " to " + peer.name()
                        + " (" + peer.address() + ") publication " + publication,
                "CREATE SUBSCRIPTION " + Sql.ident(subscription)
                        + " CONNECTION " + Sql.literal(conninfo(peer.address(), database, login))
                        + " PUBLICATION " + Sql.ident(publication)
                        + " WITH (copy_data = false, origin = none)");
    }

    /** libpq connection string to a peer; every value quoted for libpq. */
    public static String conninfo(String address, String database, Credentials login) {
        return "host=" + Sql.conninfoValue(address) + " port=" + PEER_PORT
                + " dbname=" + Sql.conninfoValue(database) + " user=" + Sql.conninfoValue(login.user())
                + " password=" + Sql.conninfoValue(login.password());
    }
}
