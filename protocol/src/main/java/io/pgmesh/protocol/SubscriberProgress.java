package io.pgmesh.protocol;

/**
 * One walsender on the publisher (from pg_stat_replication).
 *
 * @param subscription the subscriber's subscription name (the walsender's application_name)
 * @param state        walsender state (streaming, catchup, ...)
 * @param sentLsn      last WAL position sent, null if unknown
 * @param flushLsn     last position the subscriber reported flushed, null if unknown
 * @param replayLsn    last position the subscriber reported applied, null if unknown
 */
public record SubscriberProgress(String subscription, String state, Lsn sentLsn, Lsn flushLsn, Lsn replayLsn) {

    /** Whether the subscriber reported applying up to {@code target}. */
    public boolean hasReplayed(Lsn target) {
        return replayLsn != null && replayLsn.isAtLeast(target);
    }
}
