package io.pgmesh.protocol;

/**
 * How a subscription is created (a join needs more than the defaults).
 *
 * @param copyData     copy the peer's existing rows first (table sync)
 * @param existingSlot use this slot, already created on the peer, instead of creating one; null: create
 * @param enabled      start streaming at once
 */
public record SubscriptionOptions(boolean copyData, String existingSlot, boolean enabled) {

    /** A subscription of a full mesh member: no copy, its own slot, streaming. */
    public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(false, null, true);
}
