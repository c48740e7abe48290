package io.pgmesh.orchestrator.config;

import io.pgmesh.protocol.TableSpec;

import java.util.List;
import java.util.Objects;

/** {@code system.config.database}: the replicated database and its tables. */
public record DatabaseConfig(String name, List<TableSpec> tables) {

    public DatabaseConfig {
        Objects.requireNonNull(name, "name");
        tables = List.copyOf(tables);
    }
}
