package io.pgmesh.orchestrator.rpc;

import io.pgmesh.protocol.Pem;
import io.pgmesh.protocol.TlsFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The orchestrator's side of the daemons' mutual TLS: it presents its client certificate
 * (CN {@link TlsFiles#ORCHESTRATOR_CN}) and trusts a daemon only if the daemon's certificate comes from one of the
 * cluster's CAs and names the address dialled in its SANs (endpoint identification "HTTPS"), so a daemon of another
 * cluster, or another node's certificate, is refused before a call is sent.
 */
public final class ClientTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final char[] IN_MEMORY = new char[0];

    private final SSLSocketFactory factory;

    private ClientTls(SSLSocketFactory factory) {
        this.factory = factory;
    }

    /**
     * @param caFile   every CA the daemons' certificates may come from (PEM, one or more)
     * @param certFile the orchestrator's client certificate (PEM, chain allowed)
     * @param keyFile  its key, PKCS#8 PEM
     */
    public static ClientTls load(Path caFile, Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> cas = Pem.certificates(caFile);
        List<X509Certificate> chain = Pem.certificates(certFile);
        PrivateKey key = Pem.privateKey(keyFile);
        try {
            KeyStore trust = emptyStore();
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            KeyStore identity = emptyStore();
            identity.setKeyEntry("orchestrator", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(identity, IN_MEMORY);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new ClientTls(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " with the CAs of " + caFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A socket to the daemon at {@code address}, handshake done: the daemon's certificate was verified against the
     * CAs and {@code address}'s host. A failed handshake throws an {@link javax.net.ssl.SSLException}.
     */
    public SSLSocket connect(InetSocketAddress address, int connectTimeoutMillis, int soTimeoutMillis)
            throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(address, connectTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
        // layered with the host as dialled: the name (or IP literal) the daemon's SANs must hold
        SSLSocket socket = (SSLSocket) factory.createSocket(tcp, address.getHostString(), address.getPort(), true);
        try {
            socket.setSoTimeout(soTimeoutMillis);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(PROTOCOLS);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
