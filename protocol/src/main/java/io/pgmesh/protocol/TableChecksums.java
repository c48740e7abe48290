package io.pgmesh.protocol;

import java.util.List;

/** The {@link TableChecksum} of each table asked for, read in one snapshot on {@code node}. */
public record TableChecksums(String node, List<TableChecksum> tables) {
    public TableChecksums {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
