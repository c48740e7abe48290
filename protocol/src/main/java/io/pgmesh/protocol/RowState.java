package io.pgmesh.protocol;

import java.util.List;

/**
 * A key's state on a node: its row version (null: absent) and the deletes of the key the node
 * knows of, newest first. As a repair, the state a node must reach.
 */
public record RowState(long id, RowVersion row, List<Tombstone> tombstones) {
    public RowState {
        tombstones = tombstones == null ? List.of() : List.copyOf(tombstones);
    }
}
