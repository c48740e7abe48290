package io.pgmesh.protocol;

/**
 * A logical replication slot (pgoutput) on a node.
 *
 * @param node     the node holding the slot
 * @param slotName its name
 * @param lsn      for a slot just created, its consistent point: every change after it is kept for
 *                 the subscriber; for an existing slot, its confirmed_flush_lsn
 * @param created  whether this call created it
 */
public record SlotInfo(String node, String slotName, Lsn lsn, boolean created) {
}
