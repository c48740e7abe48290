package io.pgmesh.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A replicated table: its name and user columns. pgmesh adds the {@link #SYSTEM_COLUMNS}. */
public record TableSpec(String name, List<ColumnSpec> columns) {

    /** Columns pgmesh adds and maintains itself; a user column may not use these names. */
    public static final Set<String> SYSTEM_COLUMNS = Set.of("created_ts", "modified_ts", "modified_by",
            "prev_modified_ts", "prev_modified_by");

    /** Prefix of pgmesh's own tables and functions; a replicated table may not use it. */
    public static final String RESERVED_PREFIX = "pgmesh_";

    public TableSpec {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public ColumnSpec primaryKey() {
        return columns.stream().filter(ColumnSpec::primaryKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("table " + name + " has no primary key"));
    }

    /**
     * Every problem with this spec, each as "path: reason" where path is relative to the table
     * (e.g. {@code columns[1].type}); empty when the spec is valid.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        SqlNames.problem(name).ifPresent(p -> problems.add("name: " + p));
        if (name != null && name.startsWith(RESERVED_PREFIX)) {
            problems.add("name: '" + name + "' starts with '" + RESERVED_PREFIX + "', which is reserved for pgmesh's own"
                    + " tables (tombstones, conflict log)");
        }
        if (columns.isEmpty()) {
            problems.add("columns: must list at least one column");
        }
        Set<String> seen = new HashSet<>();
        int keys = 0;
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            String at = "columns[" + i + "]";
            if (c == null) {
                problems.add(at + ": must be an object");
                continue;
            }
            SqlNames.problem(c.name()).ifPresent(p -> problems.add(at + ".name: " + p));
            if (c.name() != null && SYSTEM_COLUMNS.contains(c.name())) {
                problems.add(at + ".name: '" + c.name() + "' is reserved (pgmesh adds it)");
            }
            if (c.name() != null && !seen.add(c.name())) {
                problems.add(at + ".name: duplicate column '" + c.name() + "'");
            }
            ColumnTypes.problem(c.type()).ifPresent(p -> problems.add(at + ".type: " + p));
            if (c.primaryKey()) {
                keys++;
                if (c.type() != null && !c.type().toLowerCase(Locale.ROOT).equals("bigserial")) {
                    problems.add(at + ".type: the primary key must be bigserial (per-node key ranges), not '"
                            + c.type() + "'");
                }
                if (c.defaultValue() != null) {
                    problems.add(at + ".default: the primary key takes its default from the node's sequence");
                }
            }
            if (c.defaultValue() != null && c.defaultValue().indexOf('\0') >= 0) {
                problems.add(at + ".default: must not contain a NUL character");
            }
        }
        if (!columns.isEmpty() && keys != 1) {
            problems.add("columns: exactly one column must be the primary key (found " + keys + ")");
        }
        return problems;
    }
}
