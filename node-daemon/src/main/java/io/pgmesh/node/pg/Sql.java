package io.pgmesh.node.pg;

import io.pgmesh.protocol.SqlNames;

/**
 * The one place where text becomes SQL. Identifiers must pass {@link SqlNames} and are always
 * double-quoted; literals (passwords, conninfo, defaults) are single-quoted with quotes doubled.
 * Anything else goes through PreparedStatement parameters.
 */
public final class Sql {

    /** Schema of every replicated table. */
    public static final String SCHEMA = "public";

    private Sql() {
    }

    /** A validated, double-quoted identifier. */
    public static String ident(String name) {
        if (!SqlNames.isValid(name)) {
            throw new IllegalArgumentException("not a valid SQL name: " + SqlNames.problem(name).orElse(""));
        }
        return '"' + name + '"';
    }

    /** A table of the replicated schema, e.g. {@code "public"."table1"}. */
    public static String table(String name) {
        return ident(SCHEMA) + "." + ident(name);
    }

    /**
     * A string literal for DDL that cannot take parameters. Requires standard_conforming_strings=on
     * (the daemon sets it), so only the single quote needs doubling.
     */
    public static String literal(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a SQL literal must not be null");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a SQL literal must not contain a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** A libpq connection-string value: single-quoted, backslash and quote escaped with a backslash. */
    public static String conninfoValue(String value) {
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a conninfo value must not be null or contain a NUL character");
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
