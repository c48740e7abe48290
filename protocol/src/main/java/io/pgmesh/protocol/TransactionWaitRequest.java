package io.pgmesh.protocol;

/**
 * Wait until no client transaction in {@code database} that began before {@code startedBefore} is
 * still open, for at most {@code timeoutMillis}.
 *
 * @param database      the database
 * @param startedBefore an ISO-8601 instant, e.g. {@code 2026-11-25T03:00:00Z}
 * @param timeoutMillis how long to wait, 0 to only look
 */
public record TransactionWaitRequest(String database, String startedBefore, long timeoutMillis) {
}
