package io.pgmesh.node;

import io.pgmesh.protocol.RpcAuth;

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
 * @param maxSlotWalKeepMb most WAL (MiB) the replication slots may hold back for subscribers that are down
 * @param rpcSecret  the cluster's secret every JSON-RPC call must carry ({@link RpcAuth}); never logged
 * @param tlsDeliveryDir where the container was handed its TLS material ({@code pgmesh-tls-<name>} files)
 * @param replicationRole the role peers replicate as: it logs in with a client certificate, never a password
 */
public record DaemonSettings(Path pgBin, Path pgData, Path pgConfDir, Path socketDir, Path stateDir,
                             int rpcPort, int maxNodes, int tables, long maxSlotWalKeepMb, String rpcSecret,
                             Path tlsDeliveryDir, String replicationRole) {

    /** The environment variable naming the replication role (the orchestrator sets it from sysconfig.json). */
    public static final String REPLICATION_ROLE_ENV = "PGMESH_REPLICATION_ROLE";
    private static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static final int MAX_MESH_NODES = 64;
    public static final int MAX_TABLES = 64;
    /** Default of {@code PGMESH_MAX_SLOT_WAL_KEEP_MB}: the orchestrator passes the configured value. */
    public static final int DEFAULT_MAX_SLOT_WAL_KEEP_MB = 4096;

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
                integer(env, "PGMESH_TABLES", 1, 1, MAX_TABLES),
                integer(env, "PGMESH_MAX_SLOT_WAL_KEEP_MB", DEFAULT_MAX_SLOT_WAL_KEEP_MB, 64, 1_048_576),
                secret(env),
                path(env, io.pgmesh.protocol.TlsFiles.DELIVERY_DIR_ENV, io.pgmesh.protocol.TlsFiles.DEFAULT_DELIVERY_DIR),
                role(env));
    }

    private static String role(Map<String, String> env) {
        String value = env.getOrDefault(REPLICATION_ROLE_ENV, "").strip();
        if (value.isEmpty()) {
            return "replicator";
        }
        if (!ROLE.matcher(value).matches()) {
            throw new IllegalArgumentException(REPLICATION_ROLE_ENV + " must be a lower-case SQL identifier"
                    + " ([a-z_][a-z0-9_]*, at most 63 characters), got '" + value + "'");
        }
        return value;
    }

    /** Where the installed TLS material lives (a link to its current generation). */
    public Path tlsDir() {
        return stateDir.resolve("tls");
    }

    /**
     * Without a secret the daemon would have to serve anyone who reaches its port: it refuses to start. The secret
     * comes from a file ({@link RpcAuth#FILE_ENV}, e.g. a Swarm secret) or from {@link RpcAuth#ENV}.
     */
    private static String secret(Map<String, String> env) {
        String file = env.getOrDefault(RpcAuth.FILE_ENV, "").strip();
        String value;
        String source;
        if (!file.isEmpty()) {
            if (!env.getOrDefault(RpcAuth.ENV, "").isEmpty()) {
                throw new IllegalArgumentException("both " + RpcAuth.ENV + " and " + RpcAuth.FILE_ENV
                        + " are set: give the secret one way");
            }
            try {
                value = java.nio.file.Files.readString(Path.of(file)).strip();
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException(RpcAuth.FILE_ENV + " names " + file + ", which cannot be read: " + e);
            }
            source = RpcAuth.FILE_ENV + " (" + file + ")";
        } else {
            value = env.getOrDefault(RpcAuth.ENV, "");
            source = RpcAuth.ENV;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(RpcAuth.ENV + " is not set: the daemon serves JSON-RPC only to callers"
                    + " that present the cluster's secret (the orchestrator sets it, or " + RpcAuth.FILE_ENV
                    + ", when it creates the node)");
        }
        if (value.length() < RpcAuth.MIN_LENGTH) {
            throw new IllegalArgumentException(source + ": the secret must be at least " + RpcAuth.MIN_LENGTH
                    + " characters long, got " + value.length());
        }
        return value;
    }

    @Override
    public String toString() {
        return "DaemonSettings[pgBin=" + pgBin + ", pgData=" + pgData + ", pgConfDir=" + pgConfDir
                + ", socketDir=" + socketDir + ", stateDir=" + stateDir + ", rpcPort=" + rpcPort
                + ", maxNodes=" + maxNodes + ", tables=" + tables + ", maxSlotWalKeepMb=" + maxSlotWalKeepMb
                + ", rpcSecret=***, tlsDeliveryDir=" + tlsDeliveryDir + ", replicationRole=" + replicationRole + "]";
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
