package io.pgmesh.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A PostgreSQL WAL position ({@code pg_lsn}), e.g. {@code 16/B374D848}: two 32-bit hex halves.
 * Ordered as unsigned 64-bit numbers.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    public static final Lsn ZERO = new Lsn(0);

    /** Parses {@code X/Y}; throws IllegalArgumentException naming the text when it is not an LSN. */
    @JsonCreator
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN must not be null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("'" + text + "' is not an LSN (expected X/Y in hex)");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an LSN (expected X/Y in hex)", e);
        }
    }

    /** {@link #parse} for a position PostgreSQL may not know yet (NULL): null stays null. */
    public static Lsn parseNullable(String text) {
        return text == null ? null : parse(text);
    }

    public boolean isAtLeast(Lsn other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** {@code X/Y} in hex, as PostgreSQL writes it (and as it goes over the wire). */
    @JsonValue
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
