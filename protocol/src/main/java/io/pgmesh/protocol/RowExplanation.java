package io.pgmesh.protocol;

import java.util.List;

/**
 * What one node knows about a row.
 *
 * @param node       the node
 * @param table      the table
 * @param id         the key
 * @param row        the node's version, null when the row is absent
 * @param tombstones deletes of this key the node knows of, newest first
 * @param conflicts  conflicts on this key the node resolved, oldest first
 */
public record RowExplanation(String node, String table, long id, RowVersion row, List<Tombstone> tombstones,
                             List<ConflictRecord> conflicts) {
    public RowExplanation {
        tombstones = tombstones == null ? List.of() : List.copyOf(tombstones);
        conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }
}
