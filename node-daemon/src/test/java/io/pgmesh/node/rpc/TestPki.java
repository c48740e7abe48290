package io.pgmesh.node.rpc;

import io.pgmesh.protocol.TlsFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away PKI for tests: CAs, server and client certificates (EC P-256), CRLs, written in the
 * {@link TlsFiles} layout, and client {@link SSLContext}s. Shared with orchestrator's tests through node-daemon's
 * test jar.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestPki() {
    }

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    /** A self-signed CA that issues certificates and CRLs. */
    public static final class Ca {
        private final KeyPair keys;
        private final X509Certificate certificate;

        private Ca(String commonName) throws Exception {
            keys = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, nextSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            certificate = sign(builder, keys.getPrivate());
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** A server certificate for {@code commonName} with these IP and DNS SANs, valid for a year. */
        public Issued server(String commonName, List<String> ips, List<String> dnsNames) throws Exception {
            List<GeneralName> sans = new ArrayList<>();
            ips.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
            return issue(commonName, KeyPurposeId.id_kp_serverAuth, sans, Instant.now().plus(Duration.ofDays(365)));
        }

        /** The usual daemon certificate: SANs 127.0.0.1 and localhost. */
        public Issued server() throws Exception {
            return server("node7", List.of("127.0.0.1"), List.of("localhost"));
        }

        /** A client certificate for {@code commonName}, valid for a year. */
        public Issued client(String commonName) throws Exception {
            return client(commonName, Instant.now().plus(Duration.ofDays(365)));
        }

        public Issued client(String commonName, Instant notAfter) throws Exception {
            return issue(commonName, KeyPurposeId.id_kp_clientAuth, List.of(), notAfter);
        }

        /** A CRL of this CA revoking {@code serials} (none: an empty CRL), current for 30 days. */
        public X509CRL crl(BigInteger... serials) throws Exception {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(now.minus(Duration.ofMinutes(5))));
            builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(nextSerial()));
            for (BigInteger serial : serials) {
                builder.addCRLEntry(serial, Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.superseded);
            }
            return new JcaX509CRLConverter().getCRL(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }

        private Issued issue(String commonName, KeyPurposeId purpose, List<GeneralName> sans, Instant notAfter)
                throws Exception {
            KeyPair leaf = newKeyPair();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, nextSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter), new X500Name("CN=" + commonName),
                    leaf.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new Issued(sign(builder, keys.getPrivate()), leaf.getPrivate());
        }
    }

    public static Ca newCa(String commonName) throws Exception {
        return new Ca(commonName);
    }

    /** Writes server.crt, server.key, ca.crt (every CA) and crl.pem (every CRL) into {@code dir}. */
    public static void writeTlsDir(Path dir, Issued server, List<X509Certificate> cas, List<X509CRL> crls)
            throws Exception {
        Files.createDirectories(dir);
        writeServer(dir, server);
        StringBuilder caText = new StringBuilder();
        for (X509Certificate ca : cas) {
            caText.append(pem("CERTIFICATE", ca.getEncoded()));
        }
        Files.writeString(dir.resolve(TlsFiles.CA), caText);
        writeCrls(dir, crls);
    }

    public static void writeServer(Path dir, Issued server) throws Exception {
        Files.writeString(dir.resolve(TlsFiles.SERVER_CERT), pem("CERTIFICATE", server.certificate().getEncoded()));
        Files.writeString(dir.resolve(TlsFiles.SERVER_KEY), pem("PRIVATE KEY", server.key().getEncoded()));
    }

    public static void writeCrls(Path dir, List<X509CRL> crls) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509CRL crl : crls) {
            text.append(pem("X509 CRL", crl.getEncoded()));
        }
        Files.writeString(dir.resolve(TlsFiles.CRL), text);
    }

    /** PEM files for a client: {@code name}.crt, {@code name}.key and {@code name}-ca.crt (the CAs it trusts). */
    public static void writeClientFiles(Path dir, String name, Issued client, X509Certificate... trusted)
            throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", client.certificate().getEncoded()));
        Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", client.key().getEncoded()));
        StringBuilder text = new StringBuilder();
        for (X509Certificate ca : trusted) {
            text.append(pem("CERTIFICATE", ca.getEncoded()));
        }
        Files.writeString(dir.resolve(name + "-ca.crt"), text);
    }

    /** A client context presenting {@code client} (null: no certificate) and trusting {@code trusted}. */
    public static SSLContext clientContext(Issued client, X509Certificate... trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        if (client != null) {
            keys.setKeyEntry("client", client.key(), password, new X509Certificate[]{client.certificate()});
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trust.setCertificateEntry("ca" + i, trusted[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
        return context;
    }

    /** A server context serving {@code server} and requiring a client certificate from {@code trustedClientCas}. */
    public static SSLContext serverContext(Issued server, X509Certificate... trustedClientCas) throws Exception {
        return clientContext(server, trustedClientCas);
    }

    /** A TLS 1.3 socket to {@code address}, handshake done. */
    public static SSLSocket connect(SSLContext context, InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setEnabledProtocols(new String[]{"TLSv1.3"});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet()).shiftLeft(32).add(BigInteger.valueOf(RANDOM.nextInt() & 0x7fffffff));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
