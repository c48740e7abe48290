package io.pgmesh.node.pg;

import io.pgmesh.protocol.Credentials;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Roles and the database, on a connection to the maintenance database. Each method asks first. */
public final class DatabaseSetup {

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;

    public DatabaseSetup(Connection connection, StepLog steps) {
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.steps = steps;
    }

    /**
     * Ensures a LOGIN role (with REPLICATION when asked) whose password is {@code login}'s.
     * The password is sent as a SCRAM verifier computed here, never as plain text.
     */
    public void ensureRole(Credentials login, boolean replication) throws SQLException {
        String role = Sql.ident(login.user());
        String attributes = replication ? "LOGIN REPLICATION" : "LOGIN";
        var existing = catalog.role(login.user());
        if (existing.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "role " + login.user(), "CREATE ROLE " + role + " "
                    + attributes + " PASSWORD " + Sql.literal(ScramVerifier.compute(login.password())));
            return;
        }
        Catalog.Role current = existing.get();
        List<String> missing = new ArrayList<>();
        if (!current.canLogin()) {
            missing.add("LOGIN");
        }
        if (replication && !current.replication()) {
            missing.add("REPLICATION");
        }
        if (!missing.isEmpty()) {
            steps.execute(connection, StepLog.Verb.ALTER, "role " + login.user() + " to " + String.join(" ", missing),
                    "ALTER ROLE " + role + " " + String.join(" ", missing));
        }
        if (!ScramVerifier.matches(current.passwordVerifier(), login.password())) {
            steps.execute(connection, StepLog.Verb.CHANGE, "password of role " + login.user(),
                    "ALTER ROLE " + role + " PASSWORD " + Sql.literal(ScramVerifier.compute(login.password())));
        }
    }

    /** Ensures the database exists and is owned by {@code owner} (CREATE DATABASE needs autocommit). */
    public void ensureDatabase(String database, String owner) throws SQLException {
        var currentOwner = catalog.databaseOwner(database);
        if (currentOwner.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "database " + database + " owned by " + owner,
                    "CREATE DATABASE " + Sql.ident(database) + " OWNER " + Sql.ident(owner));
        } else if (!currentOwner.get().equals(owner)) {
            steps.execute(connection, StepLog.Verb.ALTER, "owner of database " + database + " to " + owner,
                    "ALTER DATABASE " + Sql.ident(database) + " OWNER TO " + Sql.ident(owner));
        }
    }

    public void ensureConnectGrant(String database, String role) throws SQLException {
        if (catalog.hasDatabasePrivilege(role, database, "CONNECT")) {
            return;
        }
        steps.execute(connection, StepLog.Verb.GRANT, "CONNECT on database " + database + " to " + role,
                "GRANT CONNECT ON DATABASE " + Sql.ident(database) + " TO " + Sql.ident(role));
    }
}
