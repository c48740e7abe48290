package io.pgmesh.node;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the daemon reads from its environment, with defaults and validation in one place.
 *
 * @param pgBin      directory of the PostgreSQL binaries (postgres, pg_ctl)
 * @param pgData     data directory of the cluster
 * @param pgConfDir  directory holding postgresql.conf and conf.d/
 * @param socketDir  directory of PostgreSQL's unix socket
 * @param stateDir   where the daemon keeps what it was told (topology.json, database.json)
 * @param rpcPort    TCP port of the JSON-RPC server
 * @param maxNodes   largest mesh this node must support; sizes the replication settings
 * @param tables     number of replicated tables: one subscription per peer per table
 */
public record DaemonSettings(Path pgBin, Path pgData, Path pgConfDir, Path socketDir, Path stateDir,
                             int rpcPort, int maxNodes, int tables) {

    public static final int MAX_MESH_NODES = 64;
    public static final int MAX_TABLES = 64;

    /** Reads the settings; throws {@link IllegalArgumentException} naming the variable at fault. */
    public static DaemonSettings fromEnv(Map<String, String> env) {
        return new DaemonSettings(
                path(env, "PGMESH_PG_BIN", "/usr/lib/postgresql/17/bin"),
                path(env, "PGMESH_PG_DATA", "/var/lib/postgresql/17/main"),
                path(env, "PGMESH_PG_CONF_DIR", "/etc/postgresql/17/main"),
                path(env, "PGMESH_PG_SOCKET_DIR", "/var/run/postgresql"),
                path(env, "PGMESH_STATE_DIR", "/var/lib/postgresql/pgmesh"),
                integer(env, "PGMESH_RPC_PORT", 64000, 0, 65535),
                integer(env, "PGMESH_MAX_NODES", 8, 1, MAX_MESH_NODES),
                integer(env, "PGMESH_TABLES", 1, 1, MAX_TABLES));
    }

    /** Path of the unix socket of the local server (port 5432). */
    public Path socketFile() {
        return socketDir.resolve(".s.PGSQL.5432");
    }

    private static Path path(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            return Path.of(fallback);
        }
        if (!value.startsWith("/")) {
            throw new IllegalArgumentException(name + " must be an absolute path, got '" + value + "'");
        }
        return Path.of(value);
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer in " + min + ".." + max
                    + ", got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + parsed);
        }
        return parsed;
    }
}
