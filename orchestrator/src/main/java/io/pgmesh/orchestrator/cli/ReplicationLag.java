package io.pgmesh.orchestrator.cli;

import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;

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
record ReplicationLag(Map<String, ReplicationProgress> progressByPublisher) {

    ReplicationLag {
        progressByPublisher = Map.copyOf(progressByPublisher);
    }

    /** The lag of {@code subscription} (held by a subscriber of {@code publisher}); empty when unknown. */
    OptionalLong ofSubscription(String publisher, String subscription) {
        ReplicationProgress p = publisher == null ? null : progressByPublisher.get(publisher);
        if (p == null || p.currentLsn() == null) {
            return OptionalLong.empty();
        }
        for (SubscriberProgress s : p.subscribers()) {
            if (subscription.equals(s.subscription()) && s.replayLsn() != null) {
                long lag = Lsn.parse(p.currentLsn()).value() - Lsn.parse(s.replayLsn()).value();
                // The current position is read just before the walsenders: a fast subscriber can pass it.
                return OptionalLong.of(Math.max(0, lag));
            }
        }
        return OptionalLong.empty();
    }

    /** How far {@code subscriber} is behind {@code publisher}: the worst of its tables; empty when any is unknown. */
    OptionalLong between(String publisher, String subscriber, List<String> tables) {
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

    /** {@code 0 B}, {@code 512 B}, {@code 1.2 KiB}, {@code 3.4 MiB}, ... */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
