package io.pgmesh.pool;

/**
 * A named group of connections spread over all live nodes.
 *
 * @param name        unique group name, e.g. "writers"
 * @param role        which login the group uses
 * @param connections the group's total connection budget, split over the nodes (at least 1 per node)
 * @param autocommit  the autocommit mode of the group's connections
 */
public record GroupSpec(String name, GroupRole role, int connections, boolean autocommit) {

    public GroupSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("group name must not be blank");
        }
        if (role == null) {
            throw new IllegalArgumentException("group '" + name + "': role must not be null");
        }
        if (connections < 1) {
            throw new IllegalArgumentException(
                    "group '" + name + "': connections must be >= 1, was " + connections);
        }
    }
}
