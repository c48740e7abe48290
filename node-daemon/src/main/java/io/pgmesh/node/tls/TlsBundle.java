package io.pgmesh.node.tls;

import io.pgmesh.protocol.TlsFiles;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's TLS material as handed over ({@link TlsFiles#DELIVERED}), checked before anything is installed: every file
 * present, certificates and CRLs readable, each key the private half of its certificate, both certificates issued by a
 * CA of the bundle. PostgreSQL would otherwise find out at its next reload, and keep running on the old files while
 * logging why; the daemon refuses at once, naming the file.
 */
public record TlsBundle(Map<String, String> files, long generation, X509Certificate serverCertificate) {

    private static final Pattern KEY_PEM = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** Checks {@code files}; an {@link IllegalArgumentException} names the file at fault and why. */
    public static TlsBundle check(Map<String, String> files) {
        if (files == null) {
            throw new IllegalArgumentException("no TLS files given");
        }
        for (String name : TlsFiles.DELIVERED) {
            String text = files.get(name);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(name + ": missing");
            }
        }
        List<String> unknown = files.keySet().stream().filter(n -> !TlsFiles.DELIVERED.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown TLS files " + unknown + " (known: " + TlsFiles.DELIVERED + ")");
        }
        long generation;
        try {
            generation = Long.parseLong(files.get(TlsFiles.GENERATION).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TlsFiles.GENERATION + ": not a number");
        }
        if (generation < 1) {
            throw new IllegalArgumentException(TlsFiles.GENERATION + ": must be >= 1, got " + generation);
        }
        List<X509Certificate> cas = certificates(files, TlsFiles.CA);
        crls(files);
        X509Certificate server = certificates(files, TlsFiles.SERVER_CERT).get(0);
        X509Certificate replicator = certificates(files, TlsFiles.REPLICATOR_CERT).get(0);
        requirePair(files, TlsFiles.SERVER_KEY, server);
        requirePair(files, TlsFiles.REPLICATOR_KEY, replicator);
        requireIssuedBy(TlsFiles.SERVER_CERT, server, cas);
        requireIssuedBy(TlsFiles.REPLICATOR_CERT, replicator, cas);
        Map<String, String> copy = new LinkedHashMap<>();
        TlsFiles.DELIVERED.forEach(n -> copy.put(n, files.get(n)));
        return new TlsBundle(Map.copyOf(copy), generation, server);
    }

    /** The DER (PKCS#8) form of a PEM key: what PostgreSQL's JDBC driver reads. */
    public static byte[] keyDer(String pem, String name) {
        Matcher m = KEY_PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(name + ": not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": invalid base64 in the key");
        }
    }

    /** The certificates of a PEM file. */
    public static List<X509Certificate> certificatesIn(java.nio.file.Path file) throws java.io.IOException {
        return certificates(Map.of(file.toString(), java.nio.file.Files.readString(file, StandardCharsets.US_ASCII)),
                file.toString());
    }

    static List<X509Certificate> certificates(Map<String, String> files, String name) {
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(files.get(name).getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certificates = new ArrayList<>();
            all.forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(name + ": holds no certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(name + ": not a PEM certificate: " + e.getMessage());
        }
    }

    private static void crls(Map<String, String> files) {
        try {
            Collection<? extends CRL> all = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(files.get(TlsFiles.CRL).getBytes(StandardCharsets.US_ASCII)));
            if (all.isEmpty()) {
                throw new IllegalArgumentException(TlsFiles.CRL + ": holds no CRL");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(TlsFiles.CRL + ": not a PEM CRL: " + e.getMessage());
        }
    }

    private static void requirePair(Map<String, String> files, String keyName, X509Certificate certificate) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(keyDer(files.get(keyName), keyName)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(keyName + ": not a " + certificate.getPublicKey().getAlgorithm()
                    + " private key: " + e.getMessage());
        }
        if (!signsFor(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException(keyName + ": is not the key of the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) {
        try {
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] probe = "pgmesh key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireIssuedBy(String name, X509Certificate certificate, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            try {
                certificate.verify(ca.getPublicKey());
                return;
            } catch (GeneralSecurityException notThisOne) {
                // try the next CA
            }
        }
        throw new IllegalArgumentException(name + ": not issued by a CA of " + TlsFiles.CA + " ("
                + certificate.getIssuerX500Principal().getName() + ")");
    }

    @Override
    public String toString() {
        return "TlsBundle[generation " + generation + ", " + serverCertificate.getSubjectX500Principal().getName() + "]";
    }
}
