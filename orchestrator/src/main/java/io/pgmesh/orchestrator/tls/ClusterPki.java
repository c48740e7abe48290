package io.pgmesh.orchestrator.tls;

import io.pgmesh.protocol.TlsFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cluster's certificate authority and everything it issued, kept with the cluster's other secrets:
 * <pre>
 *   $PGMESH_HOME/clusters/&lt;cluster&gt;/tls/
 *     ca.crt  ca.key                 the CA (ca.crt also holds the previous CA while a CA is rolled)
 *     ca-previous.crt/.key           the previous CA, only while a CA roll runs
 *     orchestrator.crt/.key          pgmesh's client certificate for the nodes' JSON-RPC (CN pgmesh-orchestrator)
 *     nodes/&lt;node&gt;/server.crt/.key   the node's server certificate (PostgreSQL and JSON-RPC)
 *     nodes/&lt;node&gt;/replicator.crt/.key  its client certificate for replication (CN = the replication role)
 *     revoked.txt                    superseded certificates: "&lt;CA serial&gt; &lt;serial&gt;" per line (the CRLs)
 *     generation                     the number of the last issue
 * </pre>
 * Keys are 0600, the directory 0700. Clients verify nodes against ca.crt ({@code sslmode=verify-full}).
 */
public final class ClusterPki {

    /** Ten years: a CA is rolled with {@code rotate-certs --ca}, which needs every node up, so not often. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /**
     * One year: short enough that a key copied off a machine stops working within a year, long enough that a cluster
     * left alone does not break between two yearly maintenance windows. {@code status} warns 30 days ahead and
     * {@code rotate-certs} renews without downtime.
     */
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String PREVIOUS_CA_CERT = "ca-previous.crt";
    static final String PREVIOUS_CA_KEY = "ca-previous.key";
    static final String ORCHESTRATOR_CERT = "orchestrator.crt";
    static final String ORCHESTRATOR_KEY = "orchestrator.key";
    static final String REVOKED = "revoked.txt";
    static final String GENERATION = "generation";

    private final Path dir;
    private final String cluster;

    private ClusterPki(Path dir, String cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    public static Path dir(Path home, String cluster) {
        return home.resolve("clusters").resolve(cluster).resolve("tls");
    }

    /** The cluster's CA file (what clients pass as {@code sslrootcert}). */
    public static Path caFile(Path home, String cluster) {
        return dir(home, cluster).resolve(CA_CERT);
    }

    /** The cluster's PKI; a CA and the orchestrator's certificate are made when missing (at {@code up}). */
    public static ClusterPki ensure(Path home, String cluster) {
        ClusterPki pki = new ClusterPki(dir(home, cluster), cluster);
        try {
            if (!Files.exists(pki.dir.resolve(CA_CERT)) || !Files.exists(pki.dir.resolve(CA_KEY))) {
                CertificateAuthority ca = CertificateAuthority.create("pgmesh " + cluster + " CA", CA_VALIDITY);
                Pem.writeFile(pki.dir.resolve(CA_KEY), Pem.of(ca.key()), true);
                Pem.writeFile(pki.dir.resolve(CA_CERT), Pem.of(ca.certificate()), false);
                Files.deleteIfExists(pki.dir.resolve(ORCHESTRATOR_CERT));
                restrictDirectory(pki.dir);
            }
            if (!Files.exists(pki.dir.resolve(ORCHESTRATOR_CERT)) || !Files.exists(pki.dir.resolve(ORCHESTRATOR_KEY))) {
                pki.issueOrchestrator();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS material of cluster " + cluster + " under " + pki.dir
                    + ": " + e.getMessage(), e);
        }
        return pki;
    }

    /** The cluster's existing PKI; an error naming the directory when it has none. */
    public static ClusterPki open(Path home, String cluster) {
        Path dir = dir(home, cluster);
        if (!Files.exists(dir.resolve(CA_CERT)) || !Files.exists(dir.resolve(CA_KEY))) {
            throw new IllegalStateException("no certificate authority for cluster " + cluster + " in " + dir
                    + ": was the cluster created with 'pgmesh up' by this user (same PGMESH_HOME)?");
        }
        return new ClusterPki(dir, cluster);
    }

    public Path directory() {
        return dir;
    }

    public Path caFile() {
        return dir.resolve(CA_CERT);
    }

    public Path orchestratorCertificate() {
        return dir.resolve(ORCHESTRATOR_CERT);
    }

    public Path orchestratorKey() {
        return dir.resolve(ORCHESTRATOR_KEY);
    }

    /** The last {@link #clientTls()} per TLS directory, with the digest of the files it was made from. */
    private static final Map<Path, Map.Entry<String, io.pgmesh.orchestrator.rpc.ClientTls>> CLIENT_TLS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The orchestrator's side of the daemons' mutual TLS: its certificate, trusting ca.crt. The same instance while
     * the files are the same (one SSL context, so sessions are resumed instead of a full handshake per connection);
     * a new one as soon as a rotation changed them.
     */
    public io.pgmesh.orchestrator.rpc.ClientTls clientTls() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (Path file : List.of(caFile(), orchestratorCertificate(), orchestratorKey())) {
                digest.update(Files.readAllBytes(file));
            }
            String content = java.util.HexFormat.of().formatHex(digest.digest());
            Map.Entry<String, io.pgmesh.orchestrator.rpc.ClientTls> cached = CLIENT_TLS.get(dir);
            if (cached != null && cached.getKey().equals(content)) {
                return cached.getValue();
            }
            io.pgmesh.orchestrator.rpc.ClientTls tls = io.pgmesh.orchestrator.rpc.ClientTls.load(caFile(),
                    orchestratorCertificate(), orchestratorKey());
            CLIENT_TLS.put(dir, Map.entry(content, tls));
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the orchestrator's TLS material of cluster " + cluster
                    + " from " + dir + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificates clients trust now: the CA, and the previous one while a CA roll runs. */
    public List<X509Certificate> trusted() {
        return read(() -> Pem.certificates(Files.readString(caFile(), StandardCharsets.US_ASCII), caFile().toString()));
    }

    /** The CA that issues now. */
    public CertificateAuthority authority() {
        return read(() -> new CertificateAuthority(Pem.certificate(dir.resolve(CA_CERT)),
                Pem.privateKey(dir.resolve(CA_KEY))));
    }

    /**
     * Issues a node's server certificate (SANs: {@code names}, IPv4 literals as addresses) and its replication
     * client certificate (CN {@code replicatorRole}), stores them, supersedes (revokes) what the node had, and
     * returns the files to hand to the node ({@link TlsFiles}).
     */
    public synchronized Map<String, String> issueNode(String node, String replicatorRole, List<String> names) {
        CertificateAuthority ca = authority();
        Path nodeDir = nodeDir(node);
        List<X509Certificate> superseded = new ArrayList<>();
        nodeCertificate(node).ifPresent(superseded::add);
        replicatorCertificate(node).ifPresent(superseded::add);
        KeyPair server = CertificateAuthority.newKeyPair();
        KeyPair replicator = CertificateAuthority.newKeyPair();
        X509Certificate serverCert = ca.issue(node, server, names, CertificateAuthority.Purpose.SERVER, LEAF_VALIDITY);
        X509Certificate replicatorCert = ca.issue(replicatorRole, replicator, List.of(),
                CertificateAuthority.Purpose.CLIENT, LEAF_VALIDITY);
        long generation = nextGeneration();
        write(() -> {
            Pem.writeFile(nodeDir.resolve(TlsFiles.SERVER_KEY), Pem.of(server.getPrivate()), true);
            Pem.writeFile(nodeDir.resolve(TlsFiles.SERVER_CERT), Pem.of(serverCert), false);
            Pem.writeFile(nodeDir.resolve(TlsFiles.REPLICATOR_KEY), Pem.of(replicator.getPrivate()), true);
            Pem.writeFile(nodeDir.resolve(TlsFiles.REPLICATOR_CERT), Pem.of(replicatorCert), false);
            Pem.writeFile(nodeDir.resolve(TlsFiles.GENERATION), Long.toString(generation), false);
        });
        revoke(superseded);
        return nodeFiles(node);
    }

    /** Re-issues a node's certificates for the names its current server certificate carries. */
    public Map<String, String> reissueNode(String node, String replicatorRole) {
        X509Certificate current = nodeCertificate(node).orElseThrow(() -> new IllegalStateException(
                "no certificate for " + node + " in " + nodeDir(node)));
        return issueNode(node, replicatorRole, subjectAlternativeNames(current));
    }

    /** The files a node holds now: its stored certificates with the current CA bundle, CRLs and generation. */
    public synchronized Map<String, String> nodeFiles(String node) {
        Path nodeDir = nodeDir(node);
        Map<String, String> files = new LinkedHashMap<>();
        read(() -> {
            files.put(TlsFiles.CA, Files.readString(caFile(), StandardCharsets.US_ASCII));
            files.put(TlsFiles.CRL, crls());
            for (String name : List.of(TlsFiles.SERVER_CERT, TlsFiles.SERVER_KEY, TlsFiles.REPLICATOR_CERT,
                    TlsFiles.REPLICATOR_KEY)) {
                files.put(name, Files.readString(nodeDir.resolve(name), StandardCharsets.US_ASCII));
            }
            files.put(TlsFiles.GENERATION, Long.toString(Math.max(storedGeneration(nodeDir.resolve(TlsFiles.GENERATION)),
                    storedGeneration(dir.resolve(GENERATION)))));
            return null;
        });
        return files;
    }

    public Optional<X509Certificate> nodeCertificate(String node) {
        return certificateIfPresent(nodeDir(node).resolve(TlsFiles.SERVER_CERT));
    }

    public Optional<X509Certificate> replicatorCertificate(String node) {
        return certificateIfPresent(nodeDir(node).resolve(TlsFiles.REPLICATOR_CERT));
    }

    /** The nodes that have certificates. */
    public List<String> nodes() {
        Path nodes = dir.resolve("nodes");
        if (!Files.isDirectory(nodes)) {
            return List.of();
        }
        return read(() -> {
            try (var list = Files.list(nodes)) {
                return list.filter(p -> Files.exists(p.resolve(TlsFiles.SERVER_CERT)))
                        .map(p -> p.getFileName().toString()).sorted().toList();
            }
        });
    }

    /** A node left the cluster: its certificates are revoked and deleted. */
    public synchronized void forgetNode(String node) {
        List<X509Certificate> superseded = new ArrayList<>();
        nodeCertificate(node).ifPresent(superseded::add);
        replicatorCertificate(node).ifPresent(superseded::add);
        revoke(superseded);
        write(() -> {
            Path nodeDir = nodeDir(node);
            if (Files.isDirectory(nodeDir)) {
                try (var files = Files.list(nodeDir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(nodeDir);
            }
        });
    }

    /** A new orchestrator certificate from the current CA; the old one is revoked. */
    public synchronized void issueOrchestrator() {
        Optional<X509Certificate> old = certificateIfPresent(orchestratorCertificate());
        KeyPair kp = CertificateAuthority.newKeyPair();
        X509Certificate cert = authority().issue(TlsFiles.ORCHESTRATOR_CN, kp, List.of(),
                CertificateAuthority.Purpose.CLIENT, LEAF_VALIDITY);
        write(() -> {
            Pem.writeFile(orchestratorKey(), Pem.of(kp.getPrivate()), true);
            Pem.writeFile(orchestratorCertificate(), Pem.of(cert), false);
        });
        old.ifPresent(c -> revoke(List.of(c)));
    }

    /**
     * Starts a CA roll: a new CA issues from now on; ca.crt trusts the new and the previous one, so certificates of
     * either verify while they are replaced node by node.
     */
    public synchronized void beginCaRoll() {
        if (caRollInProgress()) {
            return;
        }
        CertificateAuthority previous = authority();
        CertificateAuthority next = CertificateAuthority.create("pgmesh " + cluster + " CA "
                + Instant.now().toString().substring(0, 10), CA_VALIDITY);
        write(() -> {
            Pem.writeFile(dir.resolve(PREVIOUS_CA_KEY), Pem.of(previous.key()), true);
            Pem.writeFile(dir.resolve(PREVIOUS_CA_CERT), Pem.of(previous.certificate()), false);
            Pem.writeFile(dir.resolve(CA_KEY), Pem.of(next.key()), true);
            Pem.writeFile(caFile(), Pem.of(next.certificate()) + Pem.of(previous.certificate()), false);
        });
    }

    public boolean caRollInProgress() {
        return Files.exists(dir.resolve(PREVIOUS_CA_CERT));
    }

    /** Ends a CA roll: only the new CA is trusted; whatever the previous one issued no longer verifies. */
    public synchronized void finishCaRoll() {
        if (!caRollInProgress()) {
            return;
        }
        CertificateAuthority current = authority();
        write(() -> {
            Pem.writeFile(caFile(), Pem.of(current.certificate()), false);
            Files.deleteIfExists(dir.resolve(PREVIOUS_CA_KEY));
            Files.deleteIfExists(dir.resolve(PREVIOUS_CA_CERT));
        });
    }

    /** One CRL per trusted CA, PEM, each listing what that CA issued and pgmesh superseded. */
    public String crls() {
        Map<String, Set<BigInteger>> revoked = revoked();
        StringBuilder pem = new StringBuilder();
        for (CertificateAuthority ca : authorities()) {
            Set<BigInteger> serials = revoked.getOrDefault(ca.certificate().getSerialNumber().toString(16), Set.of());
            pem.append(Pem.of(ca.crl(serials, ca.certificate().getNotAfter().toInstant())));
        }
        return pem.toString();
    }

    private List<CertificateAuthority> authorities() {
        List<CertificateAuthority> all = new ArrayList<>(List.of(authority()));
        if (caRollInProgress()) {
            all.add(read(() -> new CertificateAuthority(Pem.certificate(dir.resolve(PREVIOUS_CA_CERT)),
                    Pem.privateKey(dir.resolve(PREVIOUS_CA_KEY)))));
        }
        return all;
    }

    private void revoke(Collection<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            return;
        }
        Map<String, String> issuers = new LinkedHashMap<>();
        for (CertificateAuthority ca : authorities()) {
            issuers.put(ca.certificate().getSubjectX500Principal().getName(),
                    ca.certificate().getSerialNumber().toString(16));
        }
        StringBuilder lines = new StringBuilder();
        for (X509Certificate c : certificates) {
            String issuer = issuers.get(c.getIssuerX500Principal().getName());
            if (issuer != null) { // issued by a CA no longer trusted: nothing to revoke
                lines.append(issuer).append(' ').append(c.getSerialNumber().toString(16)).append('\n');
            }
        }
        write(() -> {
            Path file = dir.resolve(REVOKED);
            String before = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII) : "";
            Pem.writeFile(file, before + lines, false);
        });
    }

    private Map<String, Set<BigInteger>> revoked() {
        Path file = dir.resolve(REVOKED);
        if (!Files.exists(file)) {
            return Map.of();
        }
        return read(() -> Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).map(l -> l.split("\\s+"))
                .collect(Collectors.groupingBy(p -> p[0], LinkedHashMap::new,
                        Collectors.mapping(p -> new BigInteger(p[1], 16), Collectors.toCollection(LinkedHashSet::new)))));
    }

    /**
     * A new generation for what every node holds now (a changed CA bundle or CRLs, the same certificates): the next
     * {@link #nodeFiles} carries it, so nodes install it over what they have.
     */
    public synchronized long newGeneration() {
        return nextGeneration();
    }

    private long nextGeneration() {
        Path file = dir.resolve(GENERATION);
        long next = storedGeneration(file) + 1;
        write(() -> Pem.writeFile(file, Long.toString(next), false));
        return next;
    }

    private static long storedGeneration(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(file + ": not a generation number: " + e.getMessage(), e);
        }
    }

    private Path nodeDir(String node) {
        return dir.resolve("nodes").resolve(node);
    }

    /** The DNS names and addresses a certificate was issued for. */
    public static List<String> subjectAlternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().map(s -> String.valueOf(s.get(1))).toList();
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("cannot read the names of " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static Optional<X509Certificate> certificateIfPresent(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(read(() -> Pem.certificate(file)));
    }

    private static void restrictDirectory(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private interface IoRead<T> {
        T get() throws IOException;
    }

    private void write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS material of cluster " + cluster + " under " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    private static <T> T read(IoRead<T> action) {
        try {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS material: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ClusterPki[" + dir + "]";
    }
}
