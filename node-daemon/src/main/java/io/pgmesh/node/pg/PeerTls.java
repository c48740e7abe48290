package io.pgmesh.node.pg;

import io.pgmesh.protocol.TlsFiles;

import java.nio.file.Path;
import java.util.Properties;

/**
 * How this node connects to a peer's PostgreSQL as the replication role: TLS with the peer's certificate verified
 * against the cluster's CAs and its name ({@code verify-full}), checked against the CRLs, and this node's replicator
 * client certificate instead of a password. So a subscription's conninfo holds file paths, never a secret.
 *
 * @param dir the installed TLS material ({@code <state dir>/tls}, always the current generation)
 */
public record PeerTls(Path dir) {

    /** The libpq options of a subscription's conninfo, each value quoted. */
    public String conninfoOptions() {
        return " sslmode=verify-full"
                + " sslrootcert=" + Sql.conninfoValue(dir.resolve(TlsFiles.CA).toString())
                + " sslcrl=" + Sql.conninfoValue(dir.resolve(TlsFiles.CRL).toString())
                + " sslcert=" + Sql.conninfoValue(dir.resolve(TlsFiles.REPLICATOR_CERT).toString())
                + " sslkey=" + Sql.conninfoValue(dir.resolve(TlsFiles.REPLICATOR_KEY).toString());
    }

    /** The same for PostgreSQL's JDBC driver, which reads the key in DER form. */
    public void applyTo(Properties props) {
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslrootcert", dir.resolve(TlsFiles.CA).toString());
        props.setProperty("sslcert", dir.resolve(TlsFiles.REPLICATOR_CERT).toString());
        props.setProperty("sslkey", dir.resolve(TlsFiles.REPLICATOR_KEY_DER).toString());
    }
}
