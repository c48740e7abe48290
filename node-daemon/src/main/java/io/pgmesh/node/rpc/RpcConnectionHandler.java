package io.pgmesh.node.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection: request frames are handled one after another on a worker thread (never on
 * the event loop), so responses come back in request order. While a request is in flight the
 * channel stops reading, which also bounds what a client can queue.
 *
 * <p>When the client shuts down its output (half-close, see {@link RpcServer}) every complete
 * request still gets its answer; a request the input ended inside (an
 * {@link JsonFrameDecoder.IncompleteFrame}) gets a parse error after them; then the connection
 * closes once everything is written.
 */
final class RpcConnectionHandler extends SimpleChannelInboundHandler<Object> {

    private static final Logger log = LoggerFactory.getLogger(RpcConnectionHandler.class);

    private final RpcDispatcher dispatcher;
    private final Executor workers;
    private final Queue<byte[]> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean inputShutdown;
    /** The answer to an incomplete last request: written after every queued answer, then the connection closes. */
    private byte[] lastWord;

    RpcConnectionHandler(RpcDispatcher dispatcher, Executor workers) {
        this.dispatcher = dispatcher;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf frame) {
            pending.add(ByteBufUtil.getBytes(frame));
            ctx.channel().config().setAutoRead(false);
            handleNext(ctx);
        } else if (message instanceof JsonFrameDecoder.IncompleteFrame incomplete) {
            // only at end of input: the ChannelInputShutdownEvent follows and lets handleNext answer it
            log.warn("{} ended its input inside a request ({} bytes); answering a parse error",
                    ctx.channel().remoteAddress(), incomplete.bytes());
            lastWord = dispatcher.parseError("the input ended inside a request (" + incomplete.bytes()
                    + " bytes of it received)");
        } else {
            throw new IllegalStateException("unexpected message " + message.getClass().getName());
        }
    }

    private void handleNext(ChannelHandlerContext ctx) {
        if (busy) {
            return;
        }
        byte[] request = pending.poll();
        if (request == null) {
            if (lastWord != null) {
                ByteBuf answer = Unpooled.wrappedBuffer(lastWord);
                lastWord = null;
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            } else if (inputShutdown) {
                // close once what was flushed is written: closing at once would drop an answer still queued
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        busy = true;
        try {
            CompletableFuture.supplyAsync(() -> dispatcher.handle(request), workers)
                    .whenComplete((response, failure) -> ctx.executor().execute(() -> {
                        busy = false;
                        if (failure != null) {
                            log.error("request from {} failed in the dispatcher; closing", ctx.channel().remoteAddress(),
                                    failure);
                            ctx.close();
                            return;
                        }
                        if (response.length > 0) {
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(response));
                        }
                        handleNext(ctx);
                    }));
        } catch (RejectedExecutionException e) {
            log.warn("no worker accepts requests (shutting down?); closing {}", ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    /** The client sent all it will send: answer what is queued (and an incomplete last request), then close. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            handleNext(ctx);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.warn("closing {}: request larger than {} bytes", ctx.channel().remoteAddress(), RpcServer.MAX_FRAME_BYTES);
            refuse(ctx, dispatcher.invalidRequest("request larger than " + RpcServer.MAX_FRAME_BYTES + " bytes"));
        } else if (cause instanceof CorruptedFrameException) {
            log.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            refuse(ctx, dispatcher.parseError(cause.getMessage()));
        } else if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.error("closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    /** Answers with an error (id null) and closes: the stream cannot be re-synchronised. */
    private void refuse(ChannelHandlerContext ctx, byte[] response) {
        pending.clear();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
    }
}
