package io.pgmesh.protocol;

import java.util.List;

/**
 * Bring one row on this node to the version the conflict rules pick, applied as if it had been
 * replicated (judged by the same triggers, never forwarded to peers).
 *
 * @param database   database of the table
 * @param table      the table
 * @param id         the row's key
 * @param row        the winning version, or null when the rules say the row is deleted
 * @param tombstones every delete of the key known anywhere (added where missing)
 */
public record RepairRequest(String database, String table, long id, RowVersion row, List<Tombstone> tombstones) {
    public RepairRequest {
        tombstones = tombstones == null ? List.of() : List.copyOf(tombstones);
    }
}
