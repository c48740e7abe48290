package io.pgmesh.orchestrator.lab;

import io.pgmesh.orchestrator.tls.CertificateAuthority;
import io.pgmesh.orchestrator.tls.Pem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
            CertificateAuthority ca;
            if (Files.exists(client.resolve(CA)) && Files.exists(client.resolve(CA_KEY))) {
                ca = new CertificateAuthority(readCertificate(client.resolve(CA)), readKey(client.resolve(CA_KEY)));
            } else {
                ca = CertificateAuthority.create("pgmesh lab CA", CA_VALIDITY);
                Pem.writeFile(client.resolve(CA), Pem.of(ca.certificate()), false);
                Pem.writeFile(client.resolve(CA_KEY), Pem.of(ca.key()), true);
                deleteLeaves(labDir, client);
                wrote = true;
            }
            if (!Files.exists(client.resolve(CLIENT_CERT)) || !Files.exists(client.resolve(CLIENT_KEY))) {
                KeyPair kp = CertificateAuthority.newKeyPair();
                X509Certificate cert = ca.issue("pgmesh lab client", kp, List.of(),
                        CertificateAuthority.Purpose.CLIENT, LEAF_VALIDITY);
                Pem.writeFile(client.resolve(CLIENT_KEY), Pem.of(kp.getPrivate()), true);
                Pem.writeFile(client.resolve(CLIENT_CERT), Pem.of(cert), false);
                wrote = true;
            }
            for (LabHost h : hosts) {
                Path dir = hostDir(labDir, h.name());
                if (Files.exists(dir.resolve(SERVER_CERT)) && Files.exists(dir.resolve(SERVER_KEY))
                        && Files.exists(dir.resolve(CA))) {
                    continue;
                }
                Files.createDirectories(dir);
                KeyPair kp = CertificateAuthority.newKeyPair();
                X509Certificate cert = ca.issue(h.name(), kp, List.of(h.address(), h.name(), h.container()),
                        CertificateAuthority.Purpose.SERVER, LEAF_VALIDITY);
                Pem.writeFile(dir.resolve(SERVER_KEY), Pem.of(kp.getPrivate()), true);
                Pem.writeFile(dir.resolve(SERVER_CERT), Pem.of(cert), false);
                Pem.writeFile(dir.resolve(CA), Pem.of(ca.certificate()), false);
                wrote = true;
            }
            return wrote;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab certificates under " + labDir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a PEM certificate (first one of the file). */
    public static X509Certificate readCertificate(Path pem) throws IOException {
        return Pem.certificate(pem);
    }

    /** Reads a PEM private key, PKCS#8 or the traditional form. */
    public static PrivateKey readKey(Path pem) throws IOException {
        return Pem.privateKey(pem);
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
}
