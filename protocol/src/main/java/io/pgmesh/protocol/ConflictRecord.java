package io.pgmesh.protocol;

/**
 * A conflict a node resolved while applying a peer's change.
 *
 * @param table         the table
 * @param id            the row's key
 * @param kind          see {@link ConflictKind}
 * @param localVersion  the local version, "2026-11-24T22:40:01.123456Z by node1", or "absent"
 * @param remoteVersion the incoming version (or delete), same form
 * @param winner        "local" or "remote"
 * @param resolvedAt    when it was resolved (ISO-8601 UTC)
 */
public record ConflictRecord(String table, long id, String kind, String localVersion, String remoteVersion,
                             String winner, String resolvedAt) {
}
