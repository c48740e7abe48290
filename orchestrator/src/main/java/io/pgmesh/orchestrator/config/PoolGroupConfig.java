package io.pgmesh.orchestrator.config;

/**
 * A named group of client connections spread over all live nodes.
 *
 * @param id          group name, e.g. writer1
 * @param writer      true: logs in as the test writer role; false: as the test reader role
 * @param connections connections of the group over the whole cluster
 * @param autocommit  whether the group's connections autocommit
 */
public record PoolGroupConfig(String id, boolean writer, int connections, boolean autocommit) {
}
