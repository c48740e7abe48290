package io.pgmesh.orchestrator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.JsonRpcClient;
import com.googlecode.jsonrpc4j.JsonRpcClientException;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import io.pgmesh.protocol.NodeException;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.RpcAuth;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JSON-RPC client of one node daemon over mutual TLS ({@link ClientTls}: the orchestrator's certificate, the
 * cluster's CAs, the daemon's certificate checked against the address dialled). Requests are framed by their JSON
 * structure.
 *
 * <p>Every daemon method is idempotent, so a call whose connection broke or was refused (the daemon
 * is restarting: its supervisor brings it back in about 2 s) is retried on a new connection, with a
 * growing pause (100 ms up to 1 s), until the reconnect window has passed. A call that got no answer
 * within the call timeout is not retried: the daemon is working on it. A failed TLS handshake is not retried
 * either: a certificate that is not trusted, or names another host, stays so, and waiting would only hide it. (A
 * daemon that accepts the handshake and then closes because the certificate is not the orchestrator's looks like a
 * dropped connection from here and is retried within the window; its log says why.)
 */
public final class NodeRpcClient implements NodeSession {

    /** JSON-RPC's "method not found". */
    static final int METHOD_NOT_FOUND = -32601;

    private final String node;
    private final InetSocketAddress address;
    private final Duration callTimeout;
    private final Duration reconnectWindow;
    private final JsonRpcClient rpc;
    private final ClientTls tls;
    private SSLSocket socket;

    /** How long a call keeps reconnecting by default: a daemon restart takes about 2 s. */
    public static final Duration DEFAULT_RECONNECT_WINDOW = Duration.ofSeconds(10);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long MAX_PAUSE_MILLIS = 1_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /**
     * @param secret          the cluster's RPC secret, sent with every call ({@link RpcAuth})
     * @param tls             the orchestrator's certificate and the CAs a daemon's certificate must come from
     * @param reconnectWindow how long a call keeps retrying while the daemon refuses or drops connections
     */
    public NodeRpcClient(String node, InetSocketAddress address, Duration callTimeout, String secret, ClientTls tls,
                         Duration reconnectWindow) {
        if (reconnectWindow.isNegative()) {
            throw new IllegalArgumentException("reconnectWindow must not be negative: " + reconnectWindow);
        }
        this.node = node;
        this.address = address;
        this.tls = java.util.Objects.requireNonNull(tls, "tls: daemons serve JSON-RPC over TLS only");
        this.callTimeout = callTimeout;
        this.reconnectWindow = reconnectWindow;
        this.rpc = new JsonRpcClient(new ObjectMapper().findAndRegisterModules());
        this.rpc.setRequestListener(new JsonRpcClient.RequestListener() {
            @Override
            public void onBeforeRequestSent(JsonRpcClient client, ObjectNode request) {
                request.put(RpcAuth.FIELD, secret);
            }

            @Override
            public void onBeforeResponseProcessed(JsonRpcClient client, ObjectNode response) {
                // nothing to do
            }
        });
    }

    /** A client whose reconnect window is the shorter of {@link #DEFAULT_RECONNECT_WINDOW} and the call timeout. */
    public static NodeRpcClient forLocalPort(String node, int port, Duration callTimeout, String secret,
                                             ClientTls tls) {
        return forLocalPort(node, port, callTimeout, secret, tls, defaultWindow(callTimeout));
    }

    public static NodeRpcClient forLocalPort(String node, int port, Duration callTimeout, String secret,
                                             ClientTls tls, Duration reconnectWindow) {
        return new NodeRpcClient(node, new InetSocketAddress("127.0.0.1", port), callTimeout, secret, tls,
                reconnectWindow);
    }

    /**
     * A client of the daemon at {@code host:port} (its certificate must name {@code host}), reconnect window as in
     * {@link #forLocalPort(String, int, Duration, String, ClientTls)}.
     */
    public static NodeRpcClient forEndpoint(String node, String host, int port, Duration callTimeout, String secret,
                                            ClientTls tls) {
        return new NodeRpcClient(node, new InetSocketAddress(host, port), callTimeout, secret, tls,
                defaultWindow(callTimeout));
    }

    private static Duration defaultWindow(Duration callTimeout) {
        return callTimeout.compareTo(DEFAULT_RECONNECT_WINDOW) < 0 ? callTimeout : DEFAULT_RECONNECT_WINDOW;
    }

    @Override
    public String node() {
        return node;
    }

    /** A typed view of the daemon: each {@link NodeRpc} method becomes a call with named params. */
    @Override
    public NodeRpc api() {
        return (NodeRpc) Proxy.newProxyInstance(NodeRpc.class.getClassLoader(), new Class<?>[]{NodeRpc.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(this, args);
                    }
                    return call(method.getName(), namedParams(method, args), method.getGenericReturnType());
                });
    }

    private static Map<String, Object> namedParams(Method method, Object[] args) {
        if (args == null || args.length == 0) {
            return null;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        Parameter[] declared = method.getParameters();
        for (int i = 0; i < declared.length; i++) {
            JsonRpcParam name = declared[i].getAnnotation(JsonRpcParam.class);
            params.put(name != null ? name.value() : declared[i].getName(), args[i]);
        }
        return params;
    }

    /**
     * Calls {@code method}. While the connection is refused or breaks, retries on a new connection
     * until the reconnect window has passed; then fails with the last reason.
     */
    public synchronized Object call(String method, Map<String, Object> params, Type returnType) {
        long started = System.nanoTime();
        long deadline = started + reconnectWindow.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                return callOnce(method, params, returnType);
            } catch (SocketTimeoutException e) {
                closeSocket();
                throw transportFailure(method, "no answer within " + callTimeout.toMillis() + " ms", e);
            } catch (IOException e) {
                closeSocket();
                if (e instanceof SSLException tls && !isBrokenConnection(tls)) {
                    throw tlsRefused(method, tls);
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) - deadline > 0) {
                    throw transportFailure(method, reason(e) + retried(attempts, started), e);
                }
                if (!pauseBeforeRetry(pause)) {
                    throw transportFailure(method, reason(e) + " (interrupted while reconnecting)", e);
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String retried(int attempts, long startedNanos) {
        if (attempts == 1) {
            return "";
        }
        return String.format(Locale.ROOT, " (%d attempts over %.1f s)", attempts,
                (System.nanoTime() - startedNanos) / 1e9);
    }

    private static boolean pauseBeforeRetry(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Object callOnce(String method, Map<String, Object> params, Type returnType) throws IOException {
        Socket s = connectedSocket();
        try {
            return rpc.invokeAndReadResponse(method, params, returnType, s.getOutputStream(), s.getInputStream());
        } catch (JsonRpcClientException e) {
            throw fromRpcError(method, e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new NodeRpcException(node, NodeRpcException.TRANSPORT, method + " failed: " + t, null, null, t);
        }
    }

    private NodeRpcException fromRpcError(String method, JsonRpcClientException e) {
        JsonNode data = e.getData();
        String sqlState = text(data, "sqlState");
        String field = text(data, "field");
        String detail = text(data, "detail");
        String own = NodeException.prefixed(node, "");
        if (detail == null && e.getMessage() != null && e.getMessage().startsWith(own)) {
            // a daemon of a pgmesh from before RpcErrorData.detail: its message carries the prefix
            detail = e.getMessage().substring(own.length());
        } else if (detail == null && e.getCode() == METHOD_NOT_FOUND) {
            // a daemon of an older pgmesh, met during a rolling upgrade or after a partial one
            detail = method + ": this node's daemon does not know this call (it runs an older pgmesh);"
                    + " 'pgmesh upgrade' moves every node to this version";
        } else if (detail == null) {
            // a JSON-RPC standard error (no data of ours): say which call it answered
            detail = method + ": " + e.getMessage();
        }
        return new NodeRpcException(node, e.getCode(), detail, sqlState, field, e);
    }

    private static String text(JsonNode data, String field) {
        return data == null || !data.hasNonNull(field) ? null : data.get(field).asText();
    }

    private NodeRpcException transportFailure(String method, String reason, Throwable cause) {
        return new NodeRpcException(node, NodeRpcException.TRANSPORT, "daemon at "
                + address.getHostString() + ":" + address.getPort() + " did not answer " + method + ": " + reason,
                null, null, cause);
    }

    private Socket connectedSocket() throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = tls.connect(address, CONNECT_TIMEOUT_MILLIS, (int) callTimeout.toMillis());
        }
        return socket;
    }

    /**
     * An SSLException whose cause is the connection breaking (reset, end of stream during the handshake), not a
     * certificate or protocol refusal: what a daemon that restarts, or docker-proxy with nothing behind it, does.
     */
    private static boolean isBrokenConnection(SSLException e) {
        if (e instanceof SSLHandshakeException && e.getCause() == null) {
            return e.getMessage() != null && e.getMessage().contains("Remote host terminated the handshake");
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The daemon's TLS refused this client (under TLS 1.3 the alert may come with the first answer), or this client
     * refused the daemon's certificate: not retried.
     */
    private NodeRpcException tlsRefused(String method, SSLException e) {
        return new NodeRpcException(node, NodeRpcException.TRANSPORT, "daemon at " + address.getHostString() + ":"
                + address.getPort() + " refused TLS for " + method + ": " + reason(e)
                + " (is its certificate from this cluster's CA?)", null, null, e);
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket
            }
            socket = null;
        }
    }

    @Override
    public synchronized void close() {
        closeSocket();
    }

    @Override
    public String toString() {
        return "NodeRpcClient[" + node + " @ " + address + "]";
    }
}
