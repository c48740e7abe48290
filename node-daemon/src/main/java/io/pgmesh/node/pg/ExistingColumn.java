package io.pgmesh.node.pg;

/** A column as the catalog shows it: name, format_type() and NOT NULL. */
public record ExistingColumn(String name, String type, boolean notNull) {
}
