package io.pgmesh.protocol;

import java.util.List;

/**
 * A node as publisher: its current WAL position and how far each subscriber (walsender) got.
 *
 * @param node        this node
 * @param currentLsn  {@code pg_current_wal_lsn()} as text
 * @param subscribers one entry per logical walsender serving a subscription
 */
public record ReplicationProgress(String node, String currentLsn, List<SubscriberProgress> subscribers) {
    public ReplicationProgress {
        subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
    }
}
