package io.pgmesh.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A subscription and how it stands.
 *
 * @param name                 subscription name, sub_&lt;node&gt;_&lt;peer&gt;_&lt;table&gt;
 * @param peer                 the publishing node
 * @param publication          publication subscribed to
 * @param enabled              whether the subscription is enabled
 * @param state                {@code streaming} (the apply worker heard from the peer lately), {@code connecting}
 *                             (a worker runs but has received nothing yet: it is still connecting, or cannot),
 *                             {@code stalled} (a worker received something once, but nothing for longer than the
 *                             node's bound), {@code stopped} (enabled, no worker), or {@code disabled}
 * @param receivedLsn          last WAL position received from the peer, null when no worker runs or it received
 *                             nothing yet
 * @param lastMessageAt        time of the last message from the peer (ISO-8601), null when none
 * @param tablesReady          tables of the subscription whose initial sync is done (pg_subscription_rel 'r')
 * @param tablesTotal          tables of the subscription
 * @param lastMessageAgeMillis how long before the status was read the last message came, by the node's clock; null
 *                             when none (or from a daemon older than this field)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionInfo(String name, String peer, String publication, boolean enabled, String state,
                               String receivedLsn, String lastMessageAt, int tablesReady, int tablesTotal,
                               Long lastMessageAgeMillis) {

    /** Without the age of the last message (as an older daemon answers). */
    public SubscriptionInfo(String name, String peer, String publication, boolean enabled, String state,
                            String receivedLsn, String lastMessageAt, int tablesReady, int tablesTotal) {
        this(name, peer, publication, enabled, state, receivedLsn, lastMessageAt, tablesReady, tablesTotal, null);
    }

    /** Whether every table's initial copy is done. */
    public boolean synced() {
        return tablesReady >= tablesTotal;
    }

    /** Whether the state is {@link #STREAMING}: the only state in which the peer's changes are known to arrive. */
    public boolean streaming() {
        return STREAMING.equals(state);
    }

    /** The state for people: a stalled subscription says how long ago it last heard from its peer. */
    public String stateDescription() {
        if (STALLED.equals(state) && lastMessageAgeMillis != null) {
            return state + " (last message " + lastMessageAgeMillis / 1000 + " s ago)";
        }
        return String.valueOf(state);
    }

    public static final String STREAMING = "streaming";
    public static final String CONNECTING = "connecting";
    public static final String STALLED = "stalled";
    public static final String STOPPED = "stopped";
    public static final String DISABLED = "disabled";
}
