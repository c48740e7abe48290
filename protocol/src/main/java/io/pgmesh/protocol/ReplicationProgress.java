package io.pgmesh.protocol;

import java.util.List;
import java.util.Optional;

/**
 * A node as publisher: its current WAL position and how far each subscriber (walsender) got.
 *
 * @param node        this node
 * @param currentLsn  {@code pg_current_wal_lsn()}
 * @param subscribers one entry per logical walsender serving a subscription
 * @param slots       the WAL each logical replication slot holds back (empty from an older daemon)
 */
public record ReplicationProgress(String node, Lsn currentLsn, List<SubscriberProgress> subscribers,
                                  List<SlotRetention> slots) {
    public ReplicationProgress {
        subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
        slots = slots == null ? List.of() : List.copyOf(slots);
    }

    public ReplicationProgress(String node, Lsn currentLsn, List<SubscriberProgress> subscribers) {
        this(node, currentLsn, subscribers, List.of());
    }

    /** The walsender serving {@code subscription}, when it is connected. */
    public Optional<SubscriberProgress> subscriber(String subscription) {
        return subscribers.stream().filter(s -> subscription.equals(s.subscription())).findFirst();
    }

    /**
     * Whether {@code subscription}'s subscriber has applied this publisher's WAL up to {@code target}: the one
     * "has it replayed up to here" test of drains, joins and leaves.
     */
    public boolean hasReplayed(String subscription, Lsn target) {
        return subscriber(subscription).map(s -> s.hasReplayed(target)).orElse(false);
    }
}
