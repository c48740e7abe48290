package io.pgmesh.protocol;

/**
 * How much WAL one logical replication slot on a node holds back for its subscriber.
 *
 * @param slot          the slot's name (the subscriber's subscription: sub_&lt;subscriber&gt;_&lt;this node&gt;_&lt;table&gt;)
 * @param walStatus     PostgreSQL's {@code wal_status}: reserved, extended, unreserved, or lost (the WAL the
 *                      subscriber needs is gone: it can no longer catch up by streaming)
 * @param retainedBytes bytes of WAL from the slot's restart position to the current position (0 when lost)
 */
public record SlotRetention(String slot, String walStatus, long retainedBytes) {

    public static final String LOST = "lost";

    public boolean lost() {
        return LOST.equals(walStatus);
    }
}
