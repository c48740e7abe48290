package io.pgmesh.orchestrator.suite;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableSpec;

import java.util.List;
import java.util.Locale;

/**
 * The table the suites write: its key column and two text columns (table1's col1 and col2 in the
 * shipped config). Names come from the validated config; they are still quoted in SQL.
 */
public record SuiteTable(String table, String key, String firstText, String secondText) {

    /** The suites' table from the first configured table, or an error saying what it lacks. */
    public static SuiteTable from(TableSpec spec) {
        List<String> text = spec.columns().stream().filter(c -> !c.primaryKey())
                .filter(c -> isText(c.type())).map(ColumnSpec::name).toList();
        if (text.size() < 2) {
            throw new IllegalStateException("the test suites write to the first table of system.config.database.tables ("
                    + spec.name() + ") and need two varchar/text columns besides its key; it has " + text.size());
        }
        return new SuiteTable(spec.name(), spec.primaryKey().name(), text.get(0), text.get(1));
    }

    private static boolean isText(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return t.equals("text") || t.startsWith("varchar");
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    String insertSql() {
        return "INSERT INTO " + quote(table) + " (" + quote(firstText) + ", " + quote(secondText) + ") VALUES (?, ?)";
    }

    /** Inserts a row with an explicit key, or resets it when an earlier run left it (re-runnable). */
    public String upsertSql() {
        return "INSERT INTO " + quote(table) + " (" + quote(key) + ", " + quote(firstText) + ", " + quote(secondText)
                + ") VALUES (?, ?, ?) ON CONFLICT (" + quote(key) + ") DO UPDATE SET " + quote(firstText)
                + " = EXCLUDED." + quote(firstText) + ", " + quote(secondText) + " = EXCLUDED." + quote(secondText);
    }

    public String deleteSql() {
        return "DELETE FROM " + quote(table) + " WHERE " + quote(key) + " = ?";
    }

    public String updateSql() {
        return "UPDATE " + quote(table) + " SET " + quote(secondText) + " = ? WHERE " + quote(key) + " = ?";
    }

    String selectRangeSql() {
        return "SELECT * FROM " + quote(table) + " WHERE " + quote(key) + " BETWEEN ? AND ?";
    }

    String selectAboveSql() {
        return "SELECT * FROM " + quote(table) + " WHERE " + quote(key) + " > ?";
    }

    String selectAllSql() {
        return "SELECT * FROM " + quote(table);
    }
}
