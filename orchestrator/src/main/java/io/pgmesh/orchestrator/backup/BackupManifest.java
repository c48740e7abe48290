package io.pgmesh.orchestrator.backup;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableChecksum;
import io.pgmesh.protocol.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a backup file holds, as its {@value BackupArchive#MANIFEST} entry: where it came from, each table's spec,
 * rows and checksum (read in the dump's snapshot), and the dump entry's size and SHA-256.
 *
 * @param format         always {@link #FORMAT}
 * @param formatVersion  {@link #FORMAT_VERSION}; a newer one is refused
 * @param cluster        the cluster backed up
 * @param createdAt      when the dump's snapshot was taken (ISO-8601)
 * @param pgmeshVersion  the pgmesh that wrote it
 * @param postgresVersion the source node's PostgreSQL version
 * @param sourceNode     the node dumped
 * @param database       the database of the tables
 * @param tables         each table, in the configured order
 * @param dump           the pg_dump archive entry
 */
public record BackupManifest(String format, int formatVersion, String cluster, String createdAt, String pgmeshVersion,
                             String postgresVersion, String sourceNode, String database, List<Table> tables,
                             Dump dump) {

    public static final String FORMAT = "pgmesh-backup";
    public static final int FORMAT_VERSION = 1;

    /** A backed-up table: its spec (user columns) and content. */
    public record Table(String name, List<ColumnSpec> columns, long rows, String checksum) {
        public Table {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        public TableChecksum content() {
            return new TableChecksum(name, rows, checksum);
        }

        public TableSpec spec() {
            return new TableSpec(name, columns);
        }
    }

    /**
     * The pg_dump archive entry.
     *
     * @param entry  its name in the zip file
     * @param bytes  its size
     * @param sha256 its SHA-256 (hex)
     */
    public record Dump(String entry, long bytes, String sha256) {
    }

    public BackupManifest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    /** Each problem as "manifest.path: reason"; empty when the manifest can be used. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!FORMAT.equals(format)) {
            problems.add("manifest.format: is '" + format + "', not '" + FORMAT + "'");
            return problems;
        }
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            problems.add("manifest.formatVersion: " + formatVersion + " is not one this pgmesh reads (1.."
                    + FORMAT_VERSION + "; a newer pgmesh wrote it)");
        }
        if (database == null || database.isBlank()) {
            problems.add("manifest.database: is missing");
        }
        if (tables.isEmpty()) {
            problems.add("manifest.tables: lists no table");
        }
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            new TableSpec(t.name(), t.columns()).problems()
                    .forEach(p -> problems.add("manifest.tables[" + t.name() + "]." + p));
            if (t.rows() < 0 || t.checksum() == null || !t.checksum().matches("-?[0-9]+")) {
                problems.add("manifest.tables[" + i + "]: needs rows >= 0 and a decimal checksum");
            }
        }
        if (dump == null || dump.entry() == null || dump.sha256() == null || !dump.sha256().matches("[0-9a-f]{64}")
                || dump.bytes() < 0) {
            problems.add("manifest.dump: needs entry, bytes and a SHA-256");
        }
        return problems;
    }

    /**
     * Why these tables cannot be restored into the configured ones (names, order, columns), or empty when they can.
     */
    public List<String> differencesFrom(List<TableSpec> configured) {
        List<String> differences = new ArrayList<>();
        List<String> have = tables.stream().map(Table::name).toList();
        List<String> want = configured.stream().map(TableSpec::name).toList();
        if (!have.equals(want)) {
            differences.add("the backup holds table(s) " + have + ", the config has " + want);
            return differences;
        }
        for (int i = 0; i < tables.size(); i++) {
            List<ColumnSpec> backedUp = tables.get(i).columns();
            List<ColumnSpec> now = configured.get(i).columns();
            if (!backedUp.equals(now)) {
                differences.add("table " + want.get(i) + ": the backup's columns are " + describe(backedUp)
                        + ", the config's " + describe(now));
            }
        }
        return differences;
    }

    public List<TableChecksum> contents() {
        return tables.stream().map(Table::content).toList();
    }

    public long rows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }

    private static String describe(List<ColumnSpec> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type() + (c.primaryKey() ? " primary key" : ""))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
