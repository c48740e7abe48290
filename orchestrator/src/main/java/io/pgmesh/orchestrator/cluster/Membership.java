package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a join or a removal was left unfinished, judged from what every node's daemon reports by
 * the same step tables that {@link NodeJoin} and {@link NodeLeave} run: the first step not done is
 * where running the command again resumes, and {@code status} names it. Pure functions.
 */
final class Membership {

    private Membership() {
    }

    /**
     * The half-joined node: the newest node whose live join (into every other node) has a step not
     * done. Empty when a node did not answer.
     */
    static Optional<NodeContainer> halfJoined(List<NodeContainer> nodes, Map<String, NodeStatus> statuses,
                                              List<String> tables) {
        if (nodes.stream().anyMatch(n -> statuses.get(n.node()) == null)) {
            return Optional.empty();
        }
        return nodes.stream().filter(n -> nextJoinStep(n, nodes, statuses, tables).isPresent())
                .max(Comparator.comparingInt(NodeContainer::index));
    }

    /** The first step of {@code node}'s join into the other nodes that the daemons do not show done. */
    static Optional<String> nextJoinStep(NodeContainer node, List<NodeContainer> nodes, Map<String, NodeStatus> statuses,
                                         List<String> tables) {
        return StepTable.firstNotDone(NodeJoin.LIVE_CLUSTER, joinView(node, nodes, statuses, tables)).map(Step::name);
    }

    /** What {@code status} says of a half-joined node. */
    static String halfJoinedDetail(NodeContainer node, List<NodeContainer> nodes, Map<String, NodeStatus> statuses,
                                   List<String> tables) {
        JoinView view = joinView(node, nodes, statuses, tables);
        long expected = view.expectedSubscriptions();
        return "join unfinished: " + view.ownSubscriptions() + " of " + expected + " own subscriptions, "
                + view.membersSubscribed() + " of " + expected + " from peers; next step "
                + StepTable.firstNotDone(NodeJoin.LIVE_CLUSTER, view).map(Step::name).orElse("none")
                + "; 'pgmesh add-node' finishes it";
    }

    /** The first step of a retired node's removal that the daemons and the runtime do not show done. */
    static String nextLeaveStep(NodeContainer node, List<NodeContainer> nodes, Map<String, NodeStatus> statuses,
                                List<String> tables) {
        List<NodeContainer> others = nodes.stream().filter(n -> n.index() != node.index()).toList();
        LeaveView view = new LeaveView(node.node(), true, true, node.running(), statuses.get(node.node()),
                others.stream().filter(NodeContainer::running).map(NodeContainer::node).toList(),
                statuses, tables);
        return StepTable.firstNotDone(NodeLeave.STEPS, view).map(Step::name).orElse("none");
    }

    private static JoinView joinView(NodeContainer node, List<NodeContainer> nodes, Map<String, NodeStatus> statuses,
                                     List<String> tables) {
        List<String> members = nodes.stream().filter(n -> n.index() != node.index())
                .sorted(Comparator.comparingInt(NodeContainer::index)).map(NodeContainer::node).toList();
        Map<String, NodeStatus> memberStatuses = new java.util.HashMap<>();
        members.forEach(m -> {
            if (statuses.get(m) != null) {
                memberStatuses.put(m, statuses.get(m));
            }
        });
        return new JoinView(node.node(), statuses.get(node.node()), members, memberStatuses, tables);
    }
}
