package io.pgmesh.protocol;

import java.util.List;

/** A publication and the tables it publishes. */
public record PublicationInfo(String name, List<String> tables) {
    public PublicationInfo {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
