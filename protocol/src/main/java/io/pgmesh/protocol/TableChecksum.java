package io.pgmesh.protocol;

/**
 * What a table holds, as one figure that does not depend on the order of its rows: the row count and the sum of every
 * whole row's 64-bit hash (the same row hash as the check's digests, with the same pinned session settings).
 *
 * @param table    the table
 * @param rows     its rows
 * @param checksum the sum of its rows' hashes, as a decimal number ("0" for an empty table)
 */
public record TableChecksum(String table, long rows, String checksum) {

    /** Whether {@code other} describes the same table with the same content. */
    public boolean matches(TableChecksum other) {
        return other != null && table.equals(other.table()) && rows == other.rows() && checksum.equals(other.checksum());
    }

    @Override
    public String toString() {
        return table + ": " + rows + " rows, checksum " + checksum;
    }
}
