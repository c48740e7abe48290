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
    /** One trigger function per database serves every replicated table. */
    public static final String TIMESTAMP_FUNCTION = "pgmesh_set_timestamps";
    /** Trigger names are per table, so every table uses the same one. */
    public static final String TIMESTAMP_TRIGGER = "pgmesh_timestamps";
    /** pg_trigger.tgenabled of a trigger that fires in every session_replication_role. */
    public static final String ENABLED_ALWAYS = "A";

    private static final String TIMESTAMP_FUNCTION_BODY = """

            BEGIN
              IF current_setting('session_replication_role') = 'replica' THEN
                -- A change applied from a peer keeps the origin's timestamps and author. An update
                -- wins only if its version (modified_ts, modified_by) is newer than the local one;
                -- otherwise RETURN NULL makes the apply worker skip it (last writer wins).
                IF TG_OP = 'UPDATE' THEN
                  IF (NEW.modified_ts, NEW.modified_by) <= (OLD.modified_ts, OLD.modified_by) THEN
                    RETURN NULL;
                  END IF;
                END IF;
                RETURN NEW;
              END IF;
              -- A local write: this node makes a new version, newer than the one it replaces.
              IF TG_OP = 'INSERT' THEN
                NEW.created_ts := clock_timestamp();
                NEW.modified_ts := NEW.created_ts;
              ELSE
                NEW.created_ts := OLD.created_ts;
                NEW.modified_ts := greatest(clock_timestamp(), OLD.modified_ts + interval '1 microsecond');
              END IF;
              NEW.modified_by := %d;
              RETURN NEW;
            END;
            """;

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
        sql.append("  ").append(Sql.ident(MODIFIED_BY)).append(" integer NOT NULL DEFAULT 0\n");
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

    /**
     * Body (prosrc) of the timestamp trigger function of node {@code nodeIndex}. The trigger is
     * ENABLE ALWAYS, so it also fires in apply workers (session_replication_role = replica):
     * there it judges incoming updates by (modified_ts, modified_by), last writer wins; on local
     * writes it stamps the row with the time and this node's index.
     */
    public static String timestampFunctionBody(int nodeIndex) {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("node index must be >= 0, got " + nodeIndex);
        }
        return TIMESTAMP_FUNCTION_BODY.formatted(nodeIndex);
    }

    public static String createOrReplaceTimestampFunction(int nodeIndex) {
        return "CREATE OR REPLACE FUNCTION " + Sql.table(TIMESTAMP_FUNCTION)
                + "() RETURNS trigger LANGUAGE plpgsql AS $pgmesh$" + timestampFunctionBody(nodeIndex) + "$pgmesh$";
    }

    public static String createTimestampTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(TIMESTAMP_TRIGGER) + " BEFORE INSERT OR UPDATE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(TIMESTAMP_FUNCTION) + "()";
    }

    /** Makes the trigger fire in apply workers too (session_replication_role = replica). */
    public static String enableTimestampTriggerAlways(String table) {
        return "ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.ident(TIMESTAMP_TRIGGER);
    }

    /** Adds the modified_by system column to a table made before it existed. */
    public static String addModifiedByColumn(String table) {
        return "ALTER TABLE " + Sql.table(table) + " ADD COLUMN " + Sql.ident(MODIFIED_BY) + " integer NOT NULL DEFAULT 0";
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
