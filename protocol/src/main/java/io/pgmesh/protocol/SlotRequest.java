package io.pgmesh.protocol;

/** A logical replication slot on this node, in the replicated database. */
public record SlotRequest(String database, String slotName) {
}
