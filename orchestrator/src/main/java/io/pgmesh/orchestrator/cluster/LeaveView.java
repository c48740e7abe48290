package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;

import java.util.List;
import java.util.Map;

/**
 * A removal as the runtime and the daemons report it: whether the leaving node is retired, still has
 * a container and runs, its status (null when it did not answer), and the running peers' statuses.
 * The leave table's steps are judged by it; pure.
 */
record LeaveView(String leaving, boolean retired, boolean containerPresent, boolean running, NodeStatus self,
                 List<String> runningPeers, Map<String, NodeStatus> statuses, List<String> tables) {

    LeaveView {
        runningPeers = List.copyOf(runningPeers);
        statuses = Map.copyOf(statuses.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        tables = List.copyOf(tables);
    }

    /** Nothing left to wait for: the node is down or gone, or no running peer still streams from it. */
    boolean nothingToDrain() {
        return !running || noPeerSubscribes();
    }

    /** The node has dropped its own subscriptions (or is down or gone: nothing can be dropped on it). */
    boolean ownSubscriptionsGone() {
        return !running || (self != null && self.subscriptions().isEmpty());
    }

    boolean noPeerSubscribes() {
        return runningPeers.stream().noneMatch(p -> tables.stream().anyMatch(t -> {
            NodeStatus s = statuses.get(p);
            String sub = MeshNames.subscription(p, leaving, t);
            return s == null || s.subscriptions().stream().anyMatch(x -> sub.equals(x.name()));
        }));
    }

    boolean containerGone() {
        return !containerPresent;
    }

    /** No daemon reports its replication slots or the topology it was told: such steps are always redone. */
    boolean unobservable() {
        return false;
    }
}
