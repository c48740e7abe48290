package io.pgmesh.tests;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.MeshNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Pauses single subscriptions of a test cluster (subscriber's subscription to one publisher) and
 * resumes them, so that competing writes on different nodes meet in a chosen order.
 */
final class SubscriptionHolds {

    private final List<NodeContainer> nodes;
    private final String database;
    private final String table;
    private final List<String[]> held = new ArrayList<>();

    SubscriptionHolds(List<NodeContainer> nodes, String database, String table) {
        this.nodes = nodes;
        this.database = database;
        this.table = table;
    }

    /** Disables the subscription and waits until its apply worker has stopped. */
    void hold(String subscriber, String publisher) {
        String sub = MeshNames.subscription(subscriber, publisher, table);
        sql(subscriber, "ALTER SUBSCRIPTION " + sub + " DISABLE");
        await().atMost(Duration.ofSeconds(30)).until(() -> sql(subscriber,
                "SELECT count(*) FROM pg_stat_subscription WHERE subname = '" + sub + "' AND pid IS NOT NULL")
                .equals("0"));
        held.add(new String[]{subscriber, publisher});
    }

    void release(String subscriber, String publisher) {
        sql(subscriber, "ALTER SUBSCRIPTION " + MeshNames.subscription(subscriber, publisher, table) + " ENABLE");
        held.removeIf(h -> h[0].equals(subscriber) && h[1].equals(publisher));
    }

    void releaseAll() {
        new ArrayList<>(held).forEach(h -> release(h[0], h[1]));
    }

    private String sql(String node, String statement) {
        return TestClusters.psqlAsPostgres(nodes.get(Integer.parseInt(node.substring("node".length()))), database,
                statement);
    }
}
