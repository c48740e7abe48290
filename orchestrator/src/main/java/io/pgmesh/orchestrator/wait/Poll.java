package io.pgmesh.orchestrator.wait;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Waits for a condition with a deadline: calls a probe until it yields a value, sleeping
 * {@code interval} between tries. A probe that throws counts as "not yet"; its last failure is
 * kept as the cause of the timeout.
 */
public final class Poll {

    private Poll() {
    }

    /** Thrown when the deadline passes; its cause is the probe's last failure, if any. */
    public static final class TimeoutException extends RuntimeException {
        public TimeoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static <T> T until(String what, Duration timeout, Duration interval, Callable<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable lastFailure = null;
        while (true) {
            try {
                Optional<T> value = probe.call();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException(what + ": interrupted", e);
            } catch (Exception e) {
                lastFailure = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String because = lastFailure == null ? "" : " (last error: " + lastFailure.getMessage() + ")";
                throw new TimeoutException(what + ": not reached within " + timeout.toMillis() + " ms" + because,
                        lastFailure);
            }
            try {
                Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException(what + ": interrupted", e);
            }
        }
    }
}
