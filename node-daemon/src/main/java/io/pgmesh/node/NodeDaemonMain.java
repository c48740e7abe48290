package io.pgmesh.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.PostgresServer;
import io.pgmesh.node.rpc.NodeErrorResolver;
import io.pgmesh.node.rpc.RpcDispatcher;
import io.pgmesh.node.rpc.RpcServer;
import io.pgmesh.node.rpc.SharedSecretGuard;
import io.pgmesh.node.service.NodeRpcService;
import io.pgmesh.node.service.StateStore;
import io.pgmesh.protocol.NodeRpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node daemon: writes the PostgreSQL settings, starts PostgreSQL unless it already runs,
 * waits until it accepts connections, then serves JSON-RPC.
 */
public final class NodeDaemonMain {

    private static final Logger log = LoggerFactory.getLogger(NodeDaemonMain.class);
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(30);
    private static final int RPC_WORKERS = 4;

    private NodeDaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        DaemonSettings settings;
        try {
            settings = DaemonSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        log.info("pgmesh node daemon starting: {}", settings);

        io.pgmesh.node.tls.TlsStore tlsStore = new io.pgmesh.node.tls.TlsStore(settings.stateDir());
        try {
            tlsStore.installDelivered(settings.tlsDeliveryDir());
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("invalid TLS material: {}", e.getMessage());
            System.exit(2);
            return;
        }
        NodeConnections connections = new NodeConnections(settings.socketFile());
        PostgresServer postgres = new PostgresServer(settings, connections);
        postgres.writeConfiguration();
        if (postgres.isRunning()) {
            log.info("PostgreSQL already runs on {}; not starting it", settings.pgData());
            postgres.adoptRunning();
        } else {
            postgres.start();
        }
        if (!postgres.awaitAcceptingConnections(STARTUP_DEADLINE)) {
            log.error("PostgreSQL is not accepting connections after {} s; exiting", STARTUP_DEADLINE.toSeconds());
            System.exit(1);
        }

        io.pgmesh.node.rpc.RpcTls rpcTls = rpcTls(settings);
        NodeRpcService service = new NodeRpcService(connections, new StateStore(settings.stateDir()),
                new io.pgmesh.node.transfer.TransferJobs(settings.stateDir().resolve("transfers"),
                        new io.pgmesh.node.transfer.PgTools(settings.pgBin(), settings.socketDir()), connections),
                tlsStore, rpcTls::reload);
        service.upgradeSchema();
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        RpcDispatcher dispatcher = new RpcDispatcher(mapper, service, NodeRpc.class,
                new NodeErrorResolver(service::nodeName), new SharedSecretGuard(settings.rpcSecret(), service::nodeName));
        RpcServer server = new RpcServer(dispatcher, rpcTls, rpcWorkers());
        server.start(new InetSocketAddress(settings.rpcPort()));
        log.info("[{}] ready", service.nodeName());
        server.awaitClose();
    }

    /** The JSON-RPC server's TLS material from {@code <state dir>/tls}; without it the daemon cannot serve: exit 2. */
    private static io.pgmesh.node.rpc.RpcTls rpcTls(DaemonSettings settings) {
        try {
            return io.pgmesh.node.rpc.RpcTls.load(settings.tlsDir());
        } catch (java.io.IOException e) {
            log.error("invalid configuration: no usable TLS material for JSON-RPC: {}", e.getMessage());
            System.exit(2);
            throw new IllegalStateException("unreachable", e);
        }
    }

    private static ExecutorService rpcWorkers() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(RPC_WORKERS, r -> {
            Thread t = new Thread(r, "rpc-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
