package io.pgmesh.orchestrator.tls;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** PEM text of certificates, CRLs and keys (PKCS#8, which libpq, Netty and the JDK all read), and 0600 files. */
public final class Pem {

    private Pem() {
    }

    public static String of(X509Certificate certificate) {
        return write(certificate);
    }

    public static String of(X509CRL crl) {
        return write(crl);
    }

    /** A private key as unencrypted PKCS#8 ("BEGIN PRIVATE KEY"). */
    public static String of(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key: " + e.getMessage(), e);
        }
    }

    private static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /** Every certificate of a PEM text, in order; an error when it holds none. */
    public static List<X509Certificate> certificates(String pem, String source) throws IOException {
        return io.pgmesh.protocol.Pem.certificates(pem, source);
    }

    public static X509Certificate certificate(Path file) throws IOException {
        return io.pgmesh.protocol.Pem.certificates(file).get(0);
    }

    /** A PEM private key (PKCS#8, as pgmesh writes them). */
    public static PrivateKey privateKey(Path file) throws IOException {
        return io.pgmesh.protocol.Pem.privateKey(file);
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file that gets its mode first (0600 when
     * {@code secret}, else 0644) and is then moved over it: a key is never readable by others, not even briefly,
     * and a reader never sees half a file.
     */
    public static void writeFile(Path file, String text, boolean secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        } catch (UnsupportedOperationException | FileSystemException ignored) {
            // not a POSIX file system: nothing to set
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
