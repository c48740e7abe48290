package io.pgmesh.protocol;

import java.util.Map;

/**
 * One version of a row as a node holds it. Timestamps are ISO-8601 instants in UTC with
 * microseconds (e.g. {@code 2026-11-24T22:40:01.123456Z}).
 *
 * @param createdTs      when this incarnation of the row was inserted
 * @param modifiedTs     when this version was written
 * @param modifiedBy     index of the node that wrote this version
 * @param prevModifiedTs the version this one replaced, null for an insert
 * @param prevModifiedBy the node of the replaced version, null for an insert
 * @param values         the user columns as text (null values as null)
 */
public record RowVersion(String createdTs, String modifiedTs, int modifiedBy, String prevModifiedTs,
                         Integer prevModifiedBy, Map<String, String> values) {
}
