package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ReplicationLag;

import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code pgmesh status --json}: one document for scripts. Every key is always present; a value nobody could tell
 * (a node down, a peer that did not answer) is null.
 *
 * @param cluster the cluster's name
 * @param healthy whether there are nodes and every one is healthy (the exit code says the same)
 * @param nodes   per node, in index order
 */
record StatusJson(String cluster, boolean healthy, List<Node> nodes, List<String> warnings) {

    /**
     * @param host          the machine the node lives on (a Swarm host's hostname); null on one engine
     * @param health        healthy, joining, degraded, postgres-down, unreachable or down
     * @param detail        why the node is not healthy, empty when it is
     * @param conflicts     conflicts the node resolved, all tables
     * @param rows          rows over all tables; exact when {@code rowsExact}, else partly PostgreSQL's estimate
     * @param rowsPerTable  rows per table
     * @param subscriptions this node's subscriptions to its peers
     * @param certificateExpires when the node's certificate expires (ISO-8601); null when the node did not say
     * @param tlsGeneration the generation of the node's TLS material; null when the node did not say
     */
    record Node(String node, String container, String host, String address, Integer pgPort, Integer rpcPort,
                String health,
                String detail, Long conflicts, Long rows, Boolean rowsExact, Map<String, Long> rowsPerTable,
                List<Subscription> subscriptions, String certificateExpires, Long tlsGeneration) {
    }

    /**
     * @param peer     the publishing node
     * @param name     the subscription, sub_&lt;node&gt;_&lt;peer&gt;_&lt;table&gt;
     * @param state    streaming (its worker heard from the peer lately), connecting, stalled (heard nothing for longer
     *                 than the node's bound), stopped or disabled
     * @param lagBytes bytes of the peer's WAL this node has not applied yet; null when unknown
     */
    record Subscription(String peer, String name, String state, Long lagBytes) {
    }

    static StatusJson of(String cluster, boolean healthy, List<NodeReport> reports, ReplicationLag lag) {
        return of(cluster, healthy, reports, lag, List.of());
    }

    /** {@code warnings}: WAL a node holds back for a peer past half the limit, and lost slots. */
    static StatusJson of(String cluster, boolean healthy, List<NodeReport> reports, ReplicationLag lag,
                         List<String> warnings) {
        return new StatusJson(cluster, healthy, reports.stream().map(r -> node(r, lag)).toList(), List.copyOf(warnings));
    }

    private static Node node(NodeReport r, ReplicationLag lag) {
        NodeContainer c = r.container();
        NodeStatus s = r.status();
        boolean counted = s != null && !s.rows().isEmpty();
        Map<String, Long> perTable = null;
        if (counted) {
            perTable = new LinkedHashMap<>();
            for (NodeStatus.TableRows t : s.rows()) {
                perTable.put(t.table(), t.rows());
            }
        }
        return new Node(c.node(), c.containerName(), c.host(), c.address(), c.pgPort() == 0 ? null : c.pgPort(),
                c.rpcPort() == 0 ? null : c.rpcPort(), r.health(), r.detail(), s == null ? null : s.conflictCount(),
                counted ? s.rows().stream().mapToLong(NodeStatus.TableRows::rows).sum() : null,
                counted ? s.rows().stream().allMatch(NodeStatus.TableRows::exact) : null, perTable,
                s == null ? List.of() : s.subscriptions().stream().map(sub -> subscription(sub, lag)).toList(),
                s == null || s.tls() == null ? null : s.tls().certificateNotAfter(),
                s == null || s.tls() == null ? null : s.tls().generation());
    }

    private static Subscription subscription(SubscriptionInfo s, ReplicationLag lag) {
        OptionalLong l = lag.ofSubscription(s.peer(), s.name());
        return new Subscription(s.peer(), s.name(), s.state(), l.isPresent() ? l.getAsLong() : null);
    }
}
