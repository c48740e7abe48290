package io.pgmesh.protocol;

/**
 * A delete of a row: when and where it happened, and which version of the row it deleted.
 *
 * @param deletedTs     when the delete was made (ISO-8601 UTC)
 * @param deletedBy     index of the node that made it
 * @param rowModifiedTs modified_ts of the version the deleting node removed
 * @param rowModifiedBy modified_by of that version
 */
public record Tombstone(String deletedTs, int deletedBy, String rowModifiedTs, int rowModifiedBy) {
}
