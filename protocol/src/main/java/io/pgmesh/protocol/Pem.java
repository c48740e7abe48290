package io.pgmesh.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@link TlsFiles} with the JDK alone, so the daemon needs no BouncyCastle at run time. Every
 * failure is an {@link IOException} naming the file and what is wrong with it.
 */
public final class Pem {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    /** Key algorithms a PKCS#8 key is tried as, in order (pgmesh issues EC P-256). */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private Pem() {
    }

    /** Every certificate in {@code file}, in file order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        return certificates(text(file), file.toString());
    }

    /** Every certificate in the PEM {@code text} ({@code source} names it in errors), in order; at least one. */
    public static List<X509Certificate> certificates(String text, String source) throws IOException {
        Collection<? extends Certificate> found;
        try {
            found = x509().generateCertificates(new ByteArrayInputStream(
                    text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw invalid(source, "not PEM X.509 certificates", e);
        }
        if (found.isEmpty()) {
            throw new IOException(source + ": holds no certificate");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : found) {
            certificates.add((X509Certificate) c);
        }
        return List.copyOf(certificates);
    }

    /** Every CRL in {@code file}, in file order; at least one. */
    public static List<X509CRL> crls(Path file) throws IOException {
        return crls(text(file), file.toString());
    }

    /** Every CRL in the PEM {@code text}, in order; at least one. */
    public static List<X509CRL> crls(String text, String source) throws IOException {
        Collection<? extends CRL> found;
        try {
            found = x509().generateCRLs(new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw invalid(source, "not PEM X.509 CRLs", e);
        }
        if (found.isEmpty()) {
            throw new IOException(source + ": holds no CRL");
        }
        List<X509CRL> crls = new ArrayList<>();
        for (CRL c : found) {
            crls.add((X509CRL) c);
        }
        return List.copyOf(crls);
    }

    /** The one PKCS#8 key ("-----BEGIN PRIVATE KEY-----") in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        return privateKey(text(file), file.toString());
    }

    /** The one PKCS#8 key in the PEM {@code text}. */
    public static PrivateKey privateKey(String text, String source) throws IOException {
        byte[] der = keyDer(text, source);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new IOException(source + ": the PKCS#8 key is neither " + String.join(", ", KEY_ALGORITHMS)
                + " nor readable");
    }

    /** The DER bytes of the one PKCS#8 key in the PEM {@code text} (what PostgreSQL's JDBC driver reads). */
    public static byte[] keyDer(String text, String source) throws IOException {
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            throw new IOException(source + ": holds no PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": the key is not valid base64: " + e.getMessage(), e);
        }
    }

    private static String text(Path file) throws IOException {
        return new String(read(file), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read: " + e, e);
        }
    }

    private static CertificateFactory x509() throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509");
    }

    private static IOException invalid(String source, String what, Exception cause) {
        return new IOException(source + ": " + what + ": " + cause.getMessage(), cause);
    }
}
