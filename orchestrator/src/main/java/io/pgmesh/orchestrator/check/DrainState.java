package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether replication has drained: every subscription of every peer has applied its
 * publisher's WAL up to a target position taken when the check began. Pure: it only reads the
 * publishers' answers.
 */
public final class DrainState {

    private DrainState() {
    }

    /**
     * The subscriptions that have not caught up, as readable lines; empty when drained.
     *
     * @param nodes    every node of the cluster
     * @param tables   the replicated tables
     * @param targets  per publisher, the WAL position each of its subscribers must reach
     * @param progress per publisher, what it reports now
     */
    public static List<String> laggards(List<String> nodes, List<String> tables, Map<String, Lsn> targets,
                                        Map<String, ReplicationProgress> progress) {
        List<String> lagging = new ArrayList<>();
        for (String publisher : nodes) {
            Lsn target = targets.get(publisher);
            ReplicationProgress p = progress.get(publisher);
            for (String subscriber : nodes) {
                if (subscriber.equals(publisher)) {
                    continue;
                }
                for (String table : tables) {
                    String subscription = MeshNames.subscription(subscriber, publisher, table);
                    Optional<SubscriberProgress> sender = p == null ? Optional.empty() : p.subscriber(subscription);
                    if (sender.isEmpty()) {
                        lagging.add(subscription + ": not connected to " + publisher);
                    } else if (!sender.get().hasReplayed(target)) {
                        Lsn replay = sender.get().replayLsn();
                        lagging.add(subscription + ": applied " + (replay == null ? "nothing" : replay)
                                + " of " + publisher + "'s " + target);
                    }
                }
            }
        }
        return lagging;
    }
}
