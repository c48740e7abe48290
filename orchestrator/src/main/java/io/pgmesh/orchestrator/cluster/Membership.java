package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.protocol.NodeStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a join was left unfinished, judged from what every node's daemon reports. A fully joined
 * node has a subscription, enabled and synced, to every peer for every table, and every peer has one
 * to it; an interrupted add-node leaves the newest such node short of that. Pure functions.
 */
final class Membership {

    private Membership() {
    }

    /**
     * The half-joined node: the newest node whose own subscriptions, or its peers' subscriptions to
     * it, are not all there (or not all enabled and synced). Empty when a node did not answer.
     */
    static Optional<NodeContainer> halfJoined(List<NodeContainer> nodes, Map<String, NodeStatus> statuses, int tables) {
        if (nodes.stream().anyMatch(n -> statuses.get(n.node()) == null)) {
            return Optional.empty();
        }
        long expected = (long) (nodes.size() - 1) * tables;
        return nodes.stream().filter(n -> {
            NodeStatus s = statuses.get(n.node());
            boolean ownComplete = s.subscriptions().size() == expected
                    && s.subscriptions().stream().allMatch(sub -> sub.enabled() && sub.synced());
            long peersSubscribed = statuses.values().stream().flatMap(p -> p.subscriptions().stream())
                    .filter(sub -> n.node().equals(sub.peer())).count();
            return !ownComplete || peersSubscribed < expected;
        }).max(Comparator.comparingInt(NodeContainer::index));
    }

    /** What {@code status} says of a half-joined node. */
    static String halfJoinedDetail(NodeContainer node, Map<String, NodeStatus> statuses, int nodes, int tables) {
        long expected = (long) (nodes - 1) * tables;
        long own = statuses.get(node.node()).subscriptions().size();
        long peers = statuses.values().stream().flatMap(p -> p.subscriptions().stream())
                .filter(sub -> node.node().equals(sub.peer())).count();
        return "join unfinished: " + own + " of " + expected + " own subscriptions, " + peers + " of " + expected
                + " from peers; 'pgmesh add-node' finishes it";
    }
}
