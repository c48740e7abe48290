package io.pgmesh.protocol;

/**
 * The TLS material a node holds, by file name, and the names certificates carry. The orchestrator issues it from the
 * cluster's CA and hands it to the node as files; the daemon installs it under {@code <state dir>/tls} (keys 0600) and
 * configures PostgreSQL and its JSON-RPC server from there.
 */
public final class TlsFiles {

    /** The CAs the node trusts, PEM, one or more (two while a CA is being rolled). */
    public static final String CA = "ca.crt";
    /** One CRL per trusted CA, PEM: the superseded certificates of the cluster. */
    public static final String CRL = "crl.pem";
    /** The node's server certificate (PostgreSQL and JSON-RPC), PEM. */
    public static final String SERVER_CERT = "server.crt";
    /** Its key, PKCS#8 PEM. */
    public static final String SERVER_KEY = "server.key";
    /** The node's client certificate for the replication role (CN = that role's name), PEM. */
    public static final String REPLICATOR_CERT = "replicator.crt";
    /** Its key, PKCS#8 PEM (libpq reads it). */
    public static final String REPLICATOR_KEY = "replicator.key";
    /** The same key, PKCS#8 DER (PostgreSQL's JDBC driver reads only that); the daemon derives it at install. */
    public static final String REPLICATOR_KEY_DER = "replicator.pk8";
    /** A decimal number: each issue of the material gets a higher one, so an older copy never replaces a newer. */
    public static final String GENERATION = "generation";

    /**
     * How the files are handed to a node's container: {@code <delivery dir>/pgmesh-tls-<name>} (a Swarm secret, or a
     * file copied into the container before it starts), read by the daemon at start.
     */
    public static final String DELIVERY_PREFIX = "pgmesh-tls-";
    /** The daemon's environment variable naming the delivery directory. */
    public static final String DELIVERY_DIR_ENV = "PGMESH_TLS_DELIVERY_DIR";
    public static final String DEFAULT_DELIVERY_DIR = "/run/secrets";

    /** The common name of the orchestrator's client certificate: the only one the daemon serves JSON-RPC to. */
    public static final String ORCHESTRATOR_CN = "pgmesh-orchestrator";

    /** Files a complete delivery holds (the DER key is derived). */
    public static final java.util.List<String> DELIVERED = java.util.List.of(CA, CRL, SERVER_CERT, SERVER_KEY,
            REPLICATOR_CERT, REPLICATOR_KEY, GENERATION);

    private TlsFiles() {
    }
}
