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
        byte[] bytes = read(file);
        Collection<? extends Certificate> found;
        try {
            found = x509().generateCertificates(new ByteArrayInputStream(bytes));
        } catch (GeneralSecurityException e) {
            throw invalid(file, "not PEM X.509 certificates", e);
        }
        if (found.isEmpty()) {
            throw new IOException(file + ": holds no certificate");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : found) {
            certificates.add((X509Certificate) c);
        }
        return List.copyOf(certificates);
    }

    /** Every CRL in {@code file}, in file order; at least one. */
    public static List<X509CRL> crls(Path file) throws IOException {
        byte[] bytes = read(file);
        Collection<? extends CRL> found;
        try {
            found = x509().generateCRLs(new ByteArrayInputStream(bytes));
        } catch (GeneralSecurityException e) {
            throw invalid(file, "not PEM X.509 CRLs", e);
        }
        if (found.isEmpty()) {
            throw new IOException(file + ": holds no CRL");
        }
        List<X509CRL> crls = new ArrayList<>();
        for (CRL c : found) {
            crls.add((X509CRL) c);
        }
        return List.copyOf(crls);
    }

    /** The one PKCS#8 key ("-----BEGIN PRIVATE KEY-----") in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file), java.nio.charset.StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            throw new IOException(file + ": holds no PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key is not valid base64: " + e.getMessage(), e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new IOException(file + ": the PKCS#8 key is neither " + String.join(", ", KEY_ALGORITHMS)
                + " nor readable");
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

    private static IOException invalid(Path file, String what, Exception cause) {
        return new IOException(file + ": " + what + ": " + cause.getMessage(), cause);
    }
}
