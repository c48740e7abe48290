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
 * JSON-RPC over TCP: frames are delimited by JSON structure (no delimiter from the client),
 * at most {@link #MAX_FRAME_BYTES} each; every response ends with '\n'. A client may shut down its
 * output after its requests: it still gets every answer, and a parse error (-32700, id null) for
 * a request the input ended inside, before the server closes.
 */
public final class RpcServer implements AutoCloseable {

    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private final RpcDispatcher dispatcher;
    private final ExecutorService workers;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private Channel serverChannel;

    /** @param workers runs the (blocking) requests; the server shuts it down on close */
    public RpcServer(RpcDispatcher dispatcher, ExecutorService workers) {
        this.dispatcher = dispatcher;
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
                        ch.pipeline().addLast(new JsonFrameDecoder(MAX_FRAME_BYTES),
                                new RpcConnectionHandler(dispatcher, workers));
                    }
                });
        serverChannel = bootstrap.bind(address).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("serving JSON-RPC on {}", bound);
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
