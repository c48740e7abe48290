package io.pgmesh.node.pg;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DDL of a replicated table, rendered from a validated {@link TableSpec}: pure functions. */
public final class TableDdl {

    public static final String CREATED_TS = "created_ts";
    public static final String MODIFIED_TS = "modified_ts";
    /** Index of the node whose local write made the row's current version (0 until one did). */
    public static final String MODIFIED_BY = "modified_by";
    /** The version this one replaced (null for an inserted row): lets a peer tell a clean successor from a conflict. */
    public static final String PREV_MODIFIED_TS = "prev_modified_ts";
    public static final String PREV_MODIFIED_BY = "prev_modified_by";

    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+)(?:,(\\d+))?\\)");

    private TableDdl() {
    }

    public static String createTable(TableSpec table) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(Sql.table(table.name())).append(" (\n");
        for (ColumnSpec c : table.columns()) {
            sql.append("  ").append(columnDefinition(c)).append(",\n");
        }
        sql.append("  ").append(Sql.ident(CREATED_TS)).append(" timestamptz NOT NULL DEFAULT clock_timestamp(),\n");
        sql.append("  ").append(Sql.ident(MODIFIED_TS)).append(" timestamptz NOT NULL DEFAULT clock_timestamp(),\n");
        sql.append("  ").append(Sql.ident(MODIFIED_BY)).append(" integer NOT NULL DEFAULT 0,\n");
        sql.append("  ").append(Sql.ident(PREV_MODIFIED_TS)).append(" timestamptz,\n");
        sql.append("  ").append(Sql.ident(PREV_MODIFIED_BY)).append(" integer\n");
        return sql.append(")").toString();
    }

    static String columnDefinition(ColumnSpec c) {
        String type = c.type().toLowerCase(Locale.ROOT);
        StringBuilder def = new StringBuilder(Sql.ident(c.name())).append(' ').append(type);
        if (c.primaryKey()) {
            return def.append(" PRIMARY KEY").toString();
        }
        if (c.notNull()) {
            def.append(" NOT NULL");
        }
        if (c.defaultValue() != null) {
            def.append(" DEFAULT ").append(Sql.literal(c.defaultValue())).append("::").append(type);
        }
        return def.toString();
    }

    /** Sets the key sequence to node {@code index}'s range and restarts it at the range's first key. */
    public static String alterKeyRange(String sequence, int index) {
        long first = MeshNames.firstKey(index);
        return "ALTER SEQUENCE " + Sql.table(sequence) + " MINVALUE " + first + " MAXVALUE " + MeshNames.lastKey(index)
                + " START WITH " + first + " RESTART WITH " + first;
    }

    /** Adds the modified_by system column to a table made before it existed. */
    public static String addModifiedByColumn(String table) {
        return "ALTER TABLE " + Sql.table(table) + " ADD COLUMN " + Sql.ident(MODIFIED_BY) + " integer NOT NULL DEFAULT 0";
    }

    /** Adds the prev_modified_ts and prev_modified_by system columns to a table made before they existed. */
    public static String addPrevColumns(String table) {
        return "ALTER TABLE " + Sql.table(table) + " ADD COLUMN " + Sql.ident(PREV_MODIFIED_TS) + " timestamptz,"
                + " ADD COLUMN " + Sql.ident(PREV_MODIFIED_BY) + " integer";
    }

    /** How format_type() shows a whitelisted spec type. */
    public static String catalogType(String specType) {
        String type = specType.toLowerCase(Locale.ROOT);
        Matcher numeric = NUMERIC.matcher(type);
        if (numeric.matches()) {
            return "numeric(" + numeric.group(1) + "," + (numeric.group(2) == null ? "0" : numeric.group(2)) + ")";
        }
        if (type.startsWith("varchar")) {
            return "character varying" + type.substring("varchar".length());
        }
        return switch (type) {
            case "bigserial" -> "bigint";
            case "timestamptz" -> "timestamp with time zone";
            case "timestamp" -> "timestamp without time zone";
            default -> type;
        };
    }

    /** How the existing user columns differ from the spec; empty when they match. */
    public static List<String> differences(TableSpec spec, List<ExistingColumn> existing) {
        List<String> differences = new ArrayList<>();
        List<ExistingColumn> expected = spec.columns().stream()
                .map(c -> new ExistingColumn(c.name(), catalogType(c.type()), c.primaryKey() || c.notNull()))
                .toList();
        List<String> expectedNames = expected.stream().map(ExistingColumn::name).toList();
        List<String> existingNames = existing.stream().map(ExistingColumn::name).toList();
        for (String name : expectedNames) {
            if (!existingNames.contains(name)) {
                differences.add("column " + name + " is missing");
            }
        }
        for (String name : existingNames) {
            if (!expectedNames.contains(name)) {
                differences.add("column " + name + " exists but is not in the spec");
            }
        }
        for (ExistingColumn want : expected) {
            existing.stream().filter(e -> e.name().equals(want.name())).findFirst().ifPresent(have -> {
                if (!have.type().equals(want.type())) {
                    differences.add("column " + want.name() + " has type " + have.type() + ", spec wants " + want.type());
                }
                if (have.notNull() != want.notNull()) {
                    differences.add("column " + want.name() + " is " + (have.notNull() ? "NOT NULL" : "nullable")
                            + ", spec wants " + (want.notNull() ? "NOT NULL" : "nullable"));
                }
            });
        }
        if (differences.isEmpty() && !existingNames.equals(expectedNames)) {
            differences.add("columns are in order " + existingNames + ", spec wants " + expectedNames);
        }
        return differences;
    }
}
