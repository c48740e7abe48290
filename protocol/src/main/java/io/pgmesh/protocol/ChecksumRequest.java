package io.pgmesh.protocol;

import java.util.List;

/** Ask a node for the {@link TableChecksum} of each table, all read in one snapshot. */
public record ChecksumRequest(String database, List<String> tables) {
    public ChecksumRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
