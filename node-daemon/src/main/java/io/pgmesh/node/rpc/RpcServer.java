package io.pgmesh.node.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * JSON-RPC over mutual TLS, and only over it: frames are delimited by JSON structure (no delimiter from the client),
 * at most {@link #MAX_FRAME_BYTES} each; every response ends with '\n'. A client may shut down its
 * output after its requests: it still gets every answer, and a parse error (-32700, id null) for
 * a request the input ended inside, before the server closes.
 *
 * <p>TLS: {@link RpcTls} decides whom the handshake admits (the cluster's CAs, minus revoked certificates), then
 * {@link OrchestratorGate} admits only the orchestrator's certificate; a plain-text client, a failed handshake and a
 * certificate that is not the orchestrator's are each closed with one WARN line. Over TLS, "shut down its output"
 * means close_notify (what {@code SSLSocket.shutdownOutput()} sends under TLS 1.3, where the other direction stays
 * open); under TLS 1.2 a close_notify closes both directions, so a TLS 1.2 client cannot half-close and must read
 * its answers before closing.
 */
public final class RpcServer implements AutoCloseable {

    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private final RpcDispatcher dispatcher;
    private final RpcTls tls;
    private final ExecutorService workers;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private Channel serverChannel;

    /**
     * @param tls     the certificate served and the clients admitted; {@link RpcTls#reload()} applies to connections
     *                accepted afterwards
     * @param workers runs the (blocking) requests; the server shuts it down on close
     */
    public RpcServer(RpcDispatcher dispatcher, RpcTls tls, ExecutorService workers) {
        this.dispatcher = java.util.Objects.requireNonNull(dispatcher, "dispatcher");
        this.tls = java.util.Objects.requireNonNull(tls, "tls: the daemon serves JSON-RPC over TLS only");
        this.workers = workers;
    }

    /** Binds {@code address} (port 0 for any) and returns the bound address. */
    public InetSocketAddress start(InetSocketAddress address) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a client that sends its requests and then shuts down its output still gets every answer
                // (without this Netty closes at end of input and RpcConnectionHandler never sees the half-close)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new OrchestratorGate(),
                                new JsonFrameDecoder(MAX_FRAME_BYTES),
                                new RpcConnectionHandler(dispatcher, workers));
                    }
                });
        serverChannel = bootstrap.bind(address).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("serving JSON-RPC over TLS on {} (certificate {}, valid until {})", bound,
                tls.serverCertificate().getSubjectX500Principal().getName(), tls.serverCertificate().getNotAfter().toInstant());
        return bound;
    }

    /** Blocks until the server channel closes. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdown();
    }
}
