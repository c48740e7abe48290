package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Derives the cluster's state from Docker labels and the daemons; no local state file. */
public final class ClusterStatus {

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterContext ctx;

    public ClusterStatus(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public List<NodeReport> collect() {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        int expectedSubscriptions = (nodes.size() - 1) * tables.size();
        List<NodeReport> reports = nodes.stream().map(n -> report(n, expectedSubscriptions)).toList();
        if (reports.isEmpty()) {
            return reports;
        }
        return markUnfinished(reports, ctx.runtime().retiredIndexes(ctx.cluster()), tables);
    }

    /**
     * Deciding, from every node's report: a node that remove-node has retired is leaving, and the
     * node an interrupted add-node left half-joined is joining, each with the step a rerun resumes at
     * (from the same step tables the commands run) and the command that finishes it.
     */
    static List<NodeReport> markUnfinished(List<NodeReport> reports, Set<Integer> retired, List<String> tables) {
        Map<String, NodeStatus> statuses = new HashMap<>();
        reports.forEach(r -> statuses.put(r.container().node(), r.status()));
        List<NodeContainer> nodes = reports.stream().map(NodeReport::container).toList();
        Optional<NodeContainer> halfJoined = Membership.halfJoined(nodes, statuses, tables);
        return reports.stream().map(r -> {
            NodeContainer c = r.container();
            if (retired.contains(c.index())) {
                return new NodeReport(c, r.status(), NodeReport.LEAVING, "removal unfinished"
                        + (NodeReport.HEALTHY.equals(r.health()) ? "" : " (" + r.health() + ")")
                        + "; next step " + Membership.nextLeaveStep(c, nodes, statuses, tables)
                        + "; 'pgmesh remove-node " + c.node() + "' finishes it");
            }
            if (halfJoined.map(h -> h.node().equals(c.node())).orElse(false)) {
                return new NodeReport(c, r.status(), NodeReport.JOINING,
                        Membership.halfJoinedDetail(c, nodes, statuses, tables));
            }
            return r;
        }).toList();
    }

    private NodeReport report(NodeContainer node, int expectedSubscriptions) {
        if (!node.running()) {
            return new NodeReport(node, null, NodeReport.DOWN, node.host() == null ? "container " + node.state() : node.state());
        }
        NodeStatus status;
        try (NodeSession client = ctx.rpc(node, STATUS_TIMEOUT)) {
            status = client.api().status();
        } catch (NodeRpcException e) {
            return new NodeReport(node, null, NodeReport.UNREACHABLE, e.getMessage());
        }
        return new NodeReport(node, status, judge(status, expectedSubscriptions), detail(status, expectedSubscriptions));
    }

    /** Deciding is split from collecting: a pure function of the daemon's answer. */
    static String judge(NodeStatus status, int expectedSubscriptions) {
        if (!status.postgresUp()) {
            return NodeReport.POSTGRES_DOWN;
        }
        if (status.subscriptions().stream().anyMatch(s -> !s.enabled() || !s.synced())) {
            return NodeReport.JOINING;
        }
        long streaming = status.subscriptions().stream().filter(SubscriptionInfo::streaming).count();
        return streaming >= expectedSubscriptions ? NodeReport.HEALTHY : NodeReport.DEGRADED;
    }

    static String detail(NodeStatus status, int expectedSubscriptions) {
        if (!status.postgresUp()) {
            return "PostgreSQL does not accept connections";
        }
        long copying = status.subscriptions().stream().filter(s -> !s.synced()).count();
        long disabled = status.subscriptions().stream().filter(s -> !s.enabled()).count();
        if (copying + disabled > 0) {
            return "joining: " + copying + " subscriptions copying, " + disabled + " waiting to be enabled";
        }
        long streaming = status.subscriptions().stream().filter(SubscriptionInfo::streaming).count();
        if (streaming >= expectedSubscriptions) {
            return "";
        }
        return streaming + " of " + expectedSubscriptions + " subscriptions streaming";
    }
}
