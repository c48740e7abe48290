package io.pgmesh.protocol;

/**
 * A subscription and how it stands.
 *
 * @param name         subscription name, sub_&lt;node&gt;_&lt;peer&gt;_&lt;table&gt;
 * @param peer         the publishing node
 * @param publication  publication subscribed to
 * @param enabled      whether the subscription is enabled
 * @param state        {@code streaming} (apply worker running), {@code stopped} (enabled, no worker),
 *                     or {@code disabled}
 * @param receivedLsn  last WAL position received from the peer, null when no worker runs
 * @param lastMessageAt time of the last message from the peer (ISO-8601), null when none
 * @param tablesReady   tables of the subscription whose initial sync is done (pg_subscription_rel 'r')
 * @param tablesTotal   tables of the subscription
 */
public record SubscriptionInfo(String name, String peer, String publication, boolean enabled, String state,
                               String receivedLsn, String lastMessageAt, int tablesReady, int tablesTotal) {

    /** Whether every table's initial copy is done. */
    public boolean synced() {
        return tablesReady >= tablesTotal;
    }

    public static final String STREAMING = "streaming";
    public static final String STOPPED = "stopped";
    public static final String DISABLED = "disabled";
}
