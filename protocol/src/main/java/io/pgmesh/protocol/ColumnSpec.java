package io.pgmesh.protocol;

/**
 * A user column of a replicated table.
 *
 * @param name         identifier, see {@link SqlNames}
 * @param type         one of {@link ColumnTypes}
 * @param primaryKey   whether this is the key column (exactly one, of type bigserial)
 * @param notNull      NOT NULL
 * @param defaultValue a constant default, given as text and cast to the column type; null for none
 */
public record ColumnSpec(String name, String type, boolean primaryKey, boolean notNull, String defaultValue) {
}
