package io.pgmesh.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for names that become SQL identifiers (database, table, column, node names):
 * lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 63 bytes.
 * A name that passes is still always quoted when it is put into SQL.
 */
public final class SqlNames {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_-]{0,62}");

    private SqlNames() {
    }

    /** Why {@code name} cannot be an identifier, or empty when it can. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            return Optional.of("'" + printable(name) + "' is not a valid name (lower-case letters, digits, '_' and '-',"
                    + " starting with a letter or '_', at most 63 characters)");
        }
        return Optional.empty();
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
