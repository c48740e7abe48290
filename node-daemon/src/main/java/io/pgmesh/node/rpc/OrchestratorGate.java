package io.pgmesh.node.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.pgmesh.protocol.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Sits right after the {@link SslHandler}: lets a connection through only once its TLS handshake succeeded with the
 * orchestrator's certificate ({@link TlsFiles#ORCHESTRATOR_CN}). The nodes' replicator certificates come from the
 * same CA and pass the handshake; they must not reach the daemon's API. Every refusal closes the connection and logs
 * one WARN line saying who and why; nothing before admission reaches the JSON handlers.
 *
 * <p>It also turns the client's close_notify into the end of its input: a client that shuts down its output over
 * TLS 1.3 sends close_notify first (and TCP FIN after it, or not), and {@link RpcConnectionHandler} answers what it
 * received and closes on {@link ChannelInputShutdownEvent}, which then reaches it exactly once.
 */
final class OrchestratorGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OrchestratorGate.class);

    private boolean admitted;
    private boolean refused;
    private boolean inputEnded;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                admitOrRefuse(ctx);
            } else {
                refuse(ctx, refusalOf(handshake.cause()));
            }
            return;
        }
        if (event instanceof SslCloseCompletionEvent || event instanceof ChannelInputShutdownEvent) {
            if (admitted && !inputEnded) {
                inputEnded = true;
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            } else if (!admitted) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    private void admitOrRefuse(ChannelHandlerContext ctx) {
        String subject;
        try {
            Certificate[] peer = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            X509Certificate client = (X509Certificate) peer[0];
            if (TlsFiles.ORCHESTRATOR_CN.equals(commonName(client))) {
                admitted = true;
                return;
            }
            subject = client.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            subject = "none";
        }
        refuse(ctx, "its client certificate is not the orchestrator's (subject " + subject + ", expected CN="
                + TlsFiles.ORCHESTRATOR_CN + ")");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (admitted) {
            ctx.fireChannelRead(message);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    /** Before admission every failure is the handshake's, already reported by {@link #refuse}: none goes further. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (admitted) {
            ctx.fireExceptionCaught(cause);
        } else {
            if (!refused) {
                refuse(ctx, refusalOf(cause));
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (!refused) {
            refused = true;
            log.warn("refused JSON-RPC connection from {}: {}", ctx.channel().remoteAddress(), reason);
        }
        ctx.close();
    }

    /** Why a handshake failed, in words: plain text, the JDK's reason (foreign CA, revoked, expired), or the I/O. */
    static String refusalOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "plain text (not TLS) on a TLS-only port";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                String reason = "TLS handshake failed: " + ssl.getMessage();
                // the JDK's client offers only a certificate of a CA this server names: a foreign one is not sent
                return "Empty client certificate chain".equals(ssl.getMessage())
                        ? reason + " (the client has no certificate from this node's CAs)" : reason;
            }
        }
        return "the connection failed during the TLS handshake: " + failure;
    }

    /** The certificate's subject CN, or null without one. */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
