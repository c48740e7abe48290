package io.pgmesh.orchestrator.lab;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The lab's TLS material, made with BouncyCastle: a lab CA, one server certificate per lab host (SAN: the host's
 * address, its host name and its container name; serverAuth) and one client certificate (clientAuth) for the outer
 * machine. Layout under the lab directory:
 * <pre>
 *   certs/ca.pem certs/cert.pem certs/key.pem   the client's, as docker-java's DOCKER_CERT_PATH expects
 *   certs/ca-key.pem                            the CA's key (signs a host added later)
 *   hosts/hK/ca.pem hosts/hK/server-cert.pem hosts/hK/server-key.pem   mounted read-only into host hK
 * </pre>
 * Keys are ECDSA P-256, PKCS#8 PEM ({@code PRIVATE KEY}), mode 0600. Files that exist are kept: running hosts hold them.
 */
public final class LabCerts {

    public static final String CA = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CLIENT_CERT = "cert.pem";
    public static final String CLIENT_KEY = "key.pem";
    public static final String SERVER_CERT = "server-cert.pem";
    public static final String SERVER_KEY = "server-key.pem";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LabCerts() {
    }

    /** The client's directory ({@code <labdir>/certs}): DOCKER_CERT_PATH for a lab host. */
    public static Path clientDir(Path labDir) {
        return labDir.resolve("certs");
    }

    /** Host {@code name}'s directory ({@code <labdir>/hosts/<name>}), mounted into its container. */
    public static Path hostDir(Path labDir, String name) {
        return labDir.resolve("hosts").resolve(name);
    }

    /**
     * Makes what is missing: the CA (and then everything again, since the old certificates would not verify
     * against it), the client's certificate, each host's server certificate.
     *
     * @return whether anything was written
     */
    public static boolean ensure(Path labDir, List<LabHost> hosts) {
        try {
            Path client = clientDir(labDir);
            Files.createDirectories(client);
            boolean wrote = false;
            Issuer ca;
            if (Files.exists(client.resolve(CA)) && Files.exists(client.resolve(CA_KEY))) {
                ca = Issuer.read(client.resolve(CA), client.resolve(CA_KEY));
            } else {
                ca = Issuer.newCa("pgmesh lab CA");
                writePem(client.resolve(CA), ca.certificate(), false);
                writeKey(client.resolve(CA_KEY), ca.key());
                deleteLeaves(labDir, client);
                wrote = true;
            }
            if (!Files.exists(client.resolve(CLIENT_CERT)) || !Files.exists(client.resolve(CLIENT_KEY))) {
                KeyPair kp = newKeyPair();
                X509Certificate cert = ca.sign("pgmesh lab client", kp, List.of(), List.of(), KeyPurposeId.id_kp_clientAuth);
                writeKey(client.resolve(CLIENT_KEY), kp.getPrivate());
                writePem(client.resolve(CLIENT_CERT), cert, false);
                wrote = true;
            }
            for (LabHost h : hosts) {
                Path dir = hostDir(labDir, h.name());
                if (Files.exists(dir.resolve(SERVER_CERT)) && Files.exists(dir.resolve(SERVER_KEY))
                        && Files.exists(dir.resolve(CA))) {
                    continue;
                }
                Files.createDirectories(dir);
                KeyPair kp = newKeyPair();
                X509Certificate cert = ca.sign(h.name(), kp, List.of(h.address()),
                        List.of(h.name(), h.container()), KeyPurposeId.id_kp_serverAuth);
                writeKey(dir.resolve(SERVER_KEY), kp.getPrivate());
                writePem(dir.resolve(SERVER_CERT), cert, false);
                writePem(dir.resolve(CA), ca.certificate(), false);
                wrote = true;
            }
            return wrote;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab certificates under " + labDir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the lab certificates: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM certificate (first one of the file). */
    public static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException(pem + " holds no certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    /** Reads a PEM private key, PKCS#8 or the traditional form. */
    public static PrivateKey readKey(Path pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException(pem + " holds no private key");
        }
    }

    private static void deleteLeaves(Path labDir, Path client) throws IOException {
        Files.deleteIfExists(client.resolve(CLIENT_CERT));
        Files.deleteIfExists(client.resolve(CLIENT_KEY));
        Path hosts = labDir.resolve("hosts");
        if (Files.isDirectory(hosts)) {
            try (var dirs = Files.list(hosts)) {
                for (Path d : dirs.toList()) {
                    Files.deleteIfExists(d.resolve(SERVER_CERT));
                    Files.deleteIfExists(d.resolve(SERVER_KEY));
                    Files.deleteIfExists(d.resolve(CA));
                }
            }
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        // ECDSA P-256: RSA 2048 took about 0.7 s a key here
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), RANDOM);
        return gen.generateKeyPair();
    }

    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        }
        write(file, text.toString(), secret);
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        }
        write(file, text.toString(), true);
    }

    /** Written to a temporary file that gets its mode first, then moved: a key is never readable by others. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        } catch (UnsupportedOperationException | FileSystemException ignored) {
            // not a POSIX file system: nothing to set
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A CA: its certificate and key. */
    private record Issuer(X509Certificate certificate, PrivateKey key) {

        static Issuer newCa(String commonName) throws GeneralSecurityException, OperatorCreationException, IOException {
            KeyPair kp = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new Issuer(new JcaX509CertificateConverter().getCertificate(b.build(signer(kp.getPrivate()))),
                    kp.getPrivate());
        }

        static Issuer read(Path cert, Path key) throws IOException, GeneralSecurityException {
            return new Issuer(readCertificate(cert), readKey(key));
        }

        X509Certificate sign(String commonName, KeyPair subject, List<String> ips, List<String> dnsNames,
                             KeyPurposeId purpose) throws GeneralSecurityException, OperatorCreationException,
                IOException {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500Name("CN=" + commonName), subject.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subject.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> names = new ArrayList<>();
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
        }

        private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        }

        private static BigInteger serial() {
            return new BigInteger(127, RANDOM).add(BigInteger.ONE);
        }
    }
}
