package io.pgmesh.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/** The whitelist of column types a replicated table may use. */
public final class ColumnTypes {

    private static final Pattern ALLOWED = Pattern.compile(
            "bigserial|bigint|integer|smallint|boolean|text|uuid|jsonb|bytea|date|real|double precision"
                    + "|timestamptz|timestamp|varchar|varchar\\([1-9][0-9]{0,4}\\)"
                    + "|numeric|numeric\\([1-9][0-9]{0,2}(,[0-9]{1,3})?\\)");

    private ColumnTypes() {
    }

    public static Optional<String> problem(String type) {
        if (type == null || type.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (!ALLOWED.matcher(type).matches()) {
            return Optional.of("'" + (type.length() > 80 ? type.substring(0, 80) + "..." : type)
                    + "' is not a supported type (bigserial, bigint, integer, smallint, boolean, text, varchar,"
                    + " varchar(n), numeric, numeric(p,s), real, double precision, date, timestamp, timestamptz,"
                    + " uuid, jsonb, bytea)");
        }
        return Optional.empty();
    }
}
