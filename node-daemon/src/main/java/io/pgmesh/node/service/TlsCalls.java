package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.tls.TlsBundle;
import io.pgmesh.node.tls.TlsStore;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TlsFiles;
import io.pgmesh.protocol.TlsInstallRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * The node's TLS material at run time: a rotation's installTls (check, install, reload PostgreSQL and the JSON-RPC
 * server) and the TLS state in status.
 */
final class TlsCalls {

    /** Reloads the JSON-RPC server's certificates for new connections. */
    @FunctionalInterface
    interface RpcReload {
        void reload() throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(TlsCalls.class);

    private final NodeCall call;
    private final TlsStore store;
    private final RpcReload rpcReload;

    TlsCalls(NodeCall call, TlsStore store, RpcReload rpcReload) {
        this.call = call;
        this.store = store;
        this.rpcReload = rpcReload;
    }

    StepResult installTls(TlsInstallRequest request) {
        String node = call.nodeName();
        TlsBundle bundle;
        try {
            bundle = TlsBundle.check(request == null ? null : request.files());
        } catch (IllegalArgumentException e) {
            throw NodeOperationException.invalid(node, "request.files", e.getMessage());
        }
        return call.underAdminLock(() -> {
            long installed = store.installedGeneration();
            try {
                if (!store.install(bundle)) {
                    return new StepResult(node, List.of());
                }
            } catch (IOException e) {
                throw new NodeOperationException(RpcErrorCode.INTERNAL, node, "could not install TLS generation "
                        + bundle.generation() + " in " + store.dir() + ": " + e.getMessage(), null, null, e);
            }
            reloadPostgres(node);
            try {
                rpcReload.reload();
            } catch (IOException e) {
                throw new NodeOperationException(RpcErrorCode.INTERNAL, node, "installed TLS generation "
                        + bundle.generation() + " but the JSON-RPC server could not load it: " + e.getMessage(), null, null, e);
            }
            log.info("[{}] TLS generation {} installed (was {}): PostgreSQL reloaded, new JSON-RPC connections use it",
                    node, bundle.generation(), installed);
            return new StepResult(node, List.of("install TLS generation " + bundle.generation() + " (was " + installed
                    + "), certificate valid until " + bundle.serverCertificate().getNotAfter().toInstant(),
                    "reload PostgreSQL's configuration", "reload the JSON-RPC server's certificates"));
        });
    }

    /** pg_reload_conf() and a check that PostgreSQL took the new files (it logs and keeps the old ones if not). */
    private void reloadPostgres(String node) {
        call.on(node, NodeConnections.MAINTENANCE_DB, "reload PostgreSQL's configuration", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_reload_conf()")) {
                rs.next();
            }
            return null;
        });
    }

    /** The installed material's generation, expiry and serial; null when it cannot be read. */
    NodeStatus.TlsState state() {
        try {
            X509Certificate server = TlsBundle.certificatesIn(store.dir().resolve(TlsFiles.SERVER_CERT)).get(0);
            return new NodeStatus.TlsState(store.installedGeneration(), server.getNotAfter().toInstant().toString(),
                    server.getSerialNumber().toString(16));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the installed server certificate: {}", e.toString());
            return null;
        }
    }
}
