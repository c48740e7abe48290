package io.pgmesh.node.tls;

import io.pgmesh.protocol.Pem;
import io.pgmesh.protocol.TlsFiles;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's TLS material as handed over ({@link TlsFiles#DELIVERED}), checked before anything is installed: every file
 * present, certificates and CRLs readable, each key the private half of its certificate, both certificates issued by a
 * CA of the bundle. PostgreSQL would otherwise find out at its next reload, and keep running on the old files while
 * logging why; the daemon refuses at once, naming the file.
 */
public record TlsBundle(Map<String, String> files, long generation, X509Certificate serverCertificate) {

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
        try {
            return Pem.keyDer(pem, name);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The certificates of a PEM file. */
    public static List<X509Certificate> certificatesIn(java.nio.file.Path file) throws java.io.IOException {
        return Pem.certificates(file);
    }

    static List<X509Certificate> certificates(Map<String, String> files, String name) {
        try {
            return Pem.certificates(files.get(name), name);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void crls(Map<String, String> files) {
        try {
            Pem.crls(files.get(TlsFiles.CRL), TlsFiles.CRL);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void requirePair(Map<String, String> files, String keyName, X509Certificate certificate) {
        PrivateKey key;
        try {
            key = Pem.privateKey(files.get(keyName), keyName);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage());
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
