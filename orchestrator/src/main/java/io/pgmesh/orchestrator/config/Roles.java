package io.pgmesh.orchestrator.config;

import java.util.Objects;

/**
 * The roles of {@code system.config.roles}.
 *
 * @param owner       SYSOwner: owns the database and its tables
 * @param replication SYSPgDBReplication: REPLICATION LOGIN role peers' subscriptions connect as
 * @param testWriter  SYSTestWriter: writing test client
 * @param testReader  SYSTestReader: reading test client
 */
public record Roles(RoleConfig owner, RoleConfig replication, RoleConfig testWriter, RoleConfig testReader) {

    public Roles {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(testWriter, "testWriter");
        Objects.requireNonNull(testReader, "testReader");
    }
}
