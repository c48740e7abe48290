package io.pgmesh.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Up/down state of one node, shared by all groups. A node marked down is skipped until its retry time; then one
 * borrower at a time may probe it (half-open): success marks it up, failure marks it down for another period.
 */
final class NodeHealth {

    final NodeEndpoint node;
    private volatile boolean down;
    private volatile long retryAtNanos;
    private volatile long downSinceNanos;
    private volatile String lastError;
    private final AtomicBoolean probing = new AtomicBoolean();

    NodeHealth(NodeEndpoint node) {
        this.node = node;
    }

    boolean isDown() {
        return down;
    }

    boolean retryDue(long nowNanos) {
        return nowNanos - retryAtNanos >= 0;
    }

    long retryInNanos(long nowNanos) {
        return Math.max(0, retryAtNanos - nowNanos);
    }

    long downForNanos(long nowNanos) {
        return nowNanos - downSinceNanos;
    }

    String lastError() {
        return lastError;
    }

    /** Marks the node down until {@code now + retryAfter}; returns true if it was up before. */
    synchronized boolean markDown(String error, long nowNanos, long retryAfterNanos) {
        boolean wasUp = !down;
        if (wasUp) {
            downSinceNanos = nowNanos;
        }
        lastError = error;
        retryAtNanos = nowNanos + retryAfterNanos;
        down = true;
        return wasUp;
    }

    /** Marks the node up; returns true if it was down before. */
    synchronized boolean markUp() {
        boolean wasDown = down;
        down = false;
        return wasDown;
    }

    /** Claims the single half-open probe of this node; false if another borrower is probing it already. */
    boolean tryStartProbe() {
        return probing.compareAndSet(false, true);
    }

    void endProbe() {
        probing.set(false);
    }
}
