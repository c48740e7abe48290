package io.pgmesh.node.rpc;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.pgmesh.protocol.Pem;
import io.pgmesh.protocol.TlsFiles;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS side of the daemon's JSON-RPC: its server certificate, and whom it lets in. Built from the files in
 * {@code <state dir>/tls} ({@link TlsFiles}), with the JDK alone.
 *
 * <p>A client must present a certificate issued by one of the CAs in {@link TlsFiles#CA} (all are trusted: two while
 * a CA is rolled) and not revoked by that CA's CRL in {@link TlsFiles#CRL}. Revocation is checked against those
 * CRLs only: no OCSP, no fetching from distribution points (a node must not depend on the network to admit its
 * orchestrator). A CA without a current CRL (missing, or past its nextUpdate) admits no client at all: an unknown
 * revocation status is a refusal, never a pass. Whether the client is the orchestrator (its CN) is
 * {@link RpcServer}'s check, after the handshake.
 *
 * <p>{@link #reload()} swaps the material for connections accepted afterwards; a connection keeps the context it
 * started with, so a rotation never cuts a call in flight.
 */
public final class RpcTls {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** What one reading of the files gave. */
    private record Material(SslContext context, X509Certificate serverCertificate) {
    }

    private final Path dir;
    private volatile Material current;

    private RpcTls(Path dir, Material material) {
        this.dir = dir;
        this.current = material;
    }

    /** Reads {@code tlsDir}'s certificate, key, CAs and CRLs; fails naming the file that is missing or invalid. */
    public static RpcTls load(Path tlsDir) throws IOException {
        return new RpcTls(tlsDir, read(tlsDir));
    }

    /**
     * Reads the same files again and uses them for new connections. On failure the material in use stays, and the
     * exception says which file is wrong and why.
     */
    public void reload() throws IOException {
        current = read(dir);
    }

    /** A handler for one new connection, with the current material. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return current.context().newHandler(alloc);
    }

    /** The certificate new connections are served with (its notAfter is what the daemon reports). */
    public X509Certificate serverCertificate() {
        return current.serverCertificate();
    }

    /** The directory the files are read from. */
    public Path directory() {
        return dir;
    }

    private static Material read(Path dir) throws IOException {
        Path certFile = dir.resolve(TlsFiles.SERVER_CERT);
        Path keyFile = dir.resolve(TlsFiles.SERVER_KEY);
        List<X509Certificate> chain = Pem.certificates(certFile);
        PrivateKey key = Pem.privateKey(keyFile);
        requireKeyOfCertificate(key, chain.get(0), keyFile, certFile);
        List<X509Certificate> cas = Pem.certificates(dir.resolve(TlsFiles.CA));
        List<X509CRL> crls = Pem.crls(dir.resolve(TlsFiles.CRL));
        TrustManagerFactory trust = trustingOnly(cas, crls, dir);
        try {
            SslContext context = SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(PROTOCOLS)
                    .build();
            return new Material(context, chain.get(0));
        } catch (IOException | RuntimeException e) {
            throw new IOException(dir + ": cannot build the TLS context from " + TlsFiles.SERVER_CERT + " and "
                    + TlsFiles.SERVER_KEY + ": " + e.getMessage(), e);
        }
    }

    /**
     * PKIX trust in exactly {@code cas}, with revocation checked against {@code crls} alone: CRLs preferred, no
     * fallback to OCSP, no soft fail (an unknown status refuses).
     */
    private static TrustManagerFactory trustingOnly(List<X509Certificate> cas, List<X509CRL> crls, Path dir)
            throws IOException {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, null);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation =
                    (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            params.addCertPathChecker(revocation);
            params.setRevocationEnabled(true);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(params));
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IOException(dir + ": cannot trust the CAs of " + TlsFiles.CA + " with the CRLs of "
                    + TlsFiles.CRL + ": " + e.getMessage(), e);
        }
    }

    /** A key that does not match the certificate would only fail at the first handshake; say so at load instead. */
    private static void requireKeyOfCertificate(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile)
            throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "pgmesh key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException mismatch) {
            // a key of another algorithm than the certificate's: the same refusal
        }
        throw new IOException(keyFile + ": is not the key of " + certFile + " (" + cert.getSubjectX500Principal()
                + ")");
    }
}
