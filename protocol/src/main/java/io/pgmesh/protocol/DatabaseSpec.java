package io.pgmesh.protocol;

/**
 * The database a node hosts and the roles it needs.
 *
 * @param name       database name
 * @param owner      owner of the database and its tables
 * @param replicator REPLICATION LOGIN role that peers' subscriptions connect as
 * @param writer     role of writing clients (SELECT, INSERT, UPDATE, DELETE)
 * @param reader     role of reading clients (SELECT)
 */
public record DatabaseSpec(String name, Credentials owner, Credentials replicator,
                           Credentials writer, Credentials reader) {
}
