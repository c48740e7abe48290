package io.pgmesh.node.service;

import io.pgmesh.protocol.SubscriptionInfo;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a subscription streams, from what proves it: an apply worker's pid alone does not (a worker that is still
 * connecting, or cannot reach its publisher, has one too). Pure: no I/O, no clock of its own.
 *
 * <p>A worker that has received a message has a received LSN and a receipt time. While a stream is alive, messages
 * keep coming even when nothing is written: the apply worker asks its walsender for a keepalive once it has heard
 * nothing for half of {@code wal_receiver_timeout} (and gives up at the whole of it). So a last message older than
 * {@link #staleAfter(long)} of that setting means the stream is not alive, whatever the pid says.
 */
final class StreamState {

    /**
     * Time above half of {@code wal_receiver_timeout} that an alive but idle stream may need: the apply worker checks
     * once a second whether to ask for a keepalive, then the walsender answers and the worker reads the answer.
     */
    static final Duration KEEPALIVE_SLACK = Duration.ofSeconds(3);

    private StreamState() {
    }

    /**
     * @param enabled        pg_subscription.subenabled
     * @param workerPid      pg_stat_subscription.pid of the leader apply worker, null when none runs
     * @param receivedLsn    pg_stat_subscription.received_lsn, null when the worker received nothing yet
     * @param lastMessageAt  pg_stat_subscription.last_msg_receipt_time, null when none (or not finite)
     * @param now            the time the row was read, by the same clock (the node's)
     * @param staleAfter     how old the last message of a live stream can be; null: no bound is known
     * @return one of the {@link SubscriptionInfo} states
     */
    static String of(boolean enabled, Integer workerPid, String receivedLsn, Instant lastMessageAt, Instant now,
                     Duration staleAfter) {
        if (!enabled) {
            return SubscriptionInfo.DISABLED;
        }
        if (workerPid == null) {
            return SubscriptionInfo.STOPPED;
        }
        if (receivedLsn == null || lastMessageAt == null) {
            return SubscriptionInfo.CONNECTING;
        }
        if (staleAfter != null && Duration.between(lastMessageAt, now).compareTo(staleAfter) > 0) {
            return SubscriptionInfo.STALLED;
        }
        return SubscriptionInfo.STREAMING;
    }

    /**
     * How old the last message of a live stream can be on a node whose {@code wal_receiver_timeout} is
     * {@code walReceiverTimeoutMillis}: half of it (when the worker asks for a keepalive) plus
     * {@link #KEEPALIVE_SLACK}, and never more than the whole of it (when the worker gives up). Null when the timeout
     * is off (0 or less): then nothing makes an idle stream send anything, and age proves nothing.
     */
    static Duration staleAfter(long walReceiverTimeoutMillis) {
        if (walReceiverTimeoutMillis <= 0) {
            return null;
        }
        Duration timeout = Duration.ofMillis(walReceiverTimeoutMillis);
        Duration bound = timeout.dividedBy(2).plus(KEEPALIVE_SLACK);
        return bound.compareTo(timeout) < 0 ? bound : timeout;
    }

    /** Milliseconds from {@code lastMessageAt} to {@code now}, null when there was no message. */
    static Long ageMillis(Instant lastMessageAt, Instant now) {
        return lastMessageAt == null ? null : Math.max(0, Duration.between(lastMessageAt, now).toMillis());
    }
}
