package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;

import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.rpc.NodeSession;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How far each subscription's apply is behind its publisher, in bytes of WAL: the publisher's
 * {@code pg_current_wal_lsn()} minus the position its walsender for that subscription reports applied
 * ({@code pg_stat_replication.replay_lsn}). Pure: it only reads the publishers' answers.
 *
 * <p>An idle mesh shows a few bytes now and then: WAL the publisher wrote for itself (e.g. a checkpoint
 * record) that the subscriber confirms with its next feedback.
 */
public record ReplicationLag(Map<String, ReplicationProgress> progressByPublisher) {

    public ReplicationLag {
        progressByPublisher = Map.copyOf(progressByPublisher);
    }

    /**
     * Asks each node whose PostgreSQL is up for its progress as publisher; a node that does not answer within
     * {@code timeout} is left out (its lags are unknown).
     */
    public static ReplicationLag read(ClusterContext ctx, List<NodeReport> reports, Duration timeout) {
        Map<String, ReplicationProgress> progress = new LinkedHashMap<>();
        for (NodeReport r : reports) {
            if (r.status() == null || !r.status().postgresUp()) {
                continue;
            }
            try (NodeSession client = ctx.rpc(r.container(), timeout)) {
                progress.put(r.container().node(), client.api().replicationProgress());
            } catch (NodeRpcException | IllegalStateException e) {
                // unknown: shown as '?'
            }
        }
        return new ReplicationLag(progress);
    }

    /** The lag of {@code subscription} (held by a subscriber of {@code publisher}); empty when unknown. */
    public OptionalLong ofSubscription(String publisher, String subscription) {
        ReplicationProgress p = publisher == null ? null : progressByPublisher.get(publisher);
        if (p == null || p.currentLsn() == null) {
            return OptionalLong.empty();
        }
        for (SubscriberProgress s : p.subscribers()) {
            if (subscription.equals(s.subscription()) && s.replayLsn() != null) {
                long lag = p.currentLsn().value() - s.replayLsn().value();
                // The current position is read just before the walsenders: a fast subscriber can pass it.
                return OptionalLong.of(Math.max(0, lag));
            }
        }
        return OptionalLong.empty();
    }

    /** How far {@code subscriber} is behind {@code publisher}: the worst of its tables; empty when any is unknown. */
    public OptionalLong between(String publisher, String subscriber, List<String> tables) {
        long worst = 0;
        for (String table : tables) {
            OptionalLong lag = ofSubscription(publisher, MeshNames.subscription(subscriber, publisher, table));
            if (lag.isEmpty()) {
                return OptionalLong.empty();
            }
            worst = Math.max(worst, lag.getAsLong());
        }
        return tables.isEmpty() ? OptionalLong.empty() : OptionalLong.of(worst);
    }

    /**
     * What {@code publisher}'s slots hold back for one subscriber: the most WAL of any of its tables' slots, and
     * whether one of them is lost (the subscriber can no longer catch up by streaming).
     */
    public record WalHeld(String publisher, String subscriber, long bytes, boolean lost) {
    }

    /** Per publisher and subscriber, the WAL the publisher's slots hold back for it (slots the daemon reported). */
    public List<WalHeld> walHeld(List<String> nodes, List<String> tables) {
        List<WalHeld> held = new java.util.ArrayList<>();
        for (String publisher : nodes) {
            ReplicationProgress p = progressByPublisher.get(publisher);
            if (p == null) {
                continue;
            }
            for (String subscriber : nodes) {
                if (subscriber.equals(publisher)) {
                    continue;
                }
                long bytes = 0;
                boolean lost = false;
                boolean any = false;
                for (String table : tables) {
                    String slot = MeshNames.subscription(subscriber, publisher, table);
                    for (io.pgmesh.protocol.SlotRetention r : p.slots()) {
                        if (r.slot().equals(slot)) {
                            any = true;
                            bytes = Math.max(bytes, r.retainedBytes());
                            lost |= r.lost();
                        }
                    }
                }
                if (any) {
                    held.add(new WalHeld(publisher, subscriber, bytes, lost));
                }
            }
        }
        return held;
    }

    /**
     * The warnings {@code status} prints: a publisher holding more than half of {@code limitMb} for a peer (the
     * peer is down or far behind, and its slots are lost at the limit), and lost slots, with what to do.
     */
    public static List<String> walWarnings(List<WalHeld> held, long limitMb) {
        List<String> warnings = new java.util.ArrayList<>();
        long limit = limitMb * 1024 * 1024;
        for (WalHeld h : held) {
            if (h.lost()) {
                warnings.add(h.publisher() + " no longer holds the WAL " + h.subscriber() + " needs (its slots passed"
                        + " wal.max_slot_keep_mb, " + limitMb + " MiB): " + h.subscriber() + " cannot catch up by"
                        + " streaming; rebuild it from a healthy peer: 'pgmesh resync " + h.subscriber() + "'");
            } else if (h.bytes() > limit / 2) {
                warnings.add(String.format(java.util.Locale.ROOT, "%s holds %.1f MiB of WAL for %s, over half of"
                                + " wal.max_slot_keep_mb (%d MiB): bring %s back ('pgmesh start-node %s') before it"
                                + " reaches the limit, or its slots are lost", h.publisher(), h.bytes() / 1048576.0,
                        h.subscriber(), limitMb, h.subscriber(), h.subscriber()));
            }
        }
        return warnings;
    }
}
