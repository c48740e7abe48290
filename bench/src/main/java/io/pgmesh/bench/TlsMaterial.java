package io.pgmesh.bench;

import io.pgmesh.orchestrator.tls.ClusterPki;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.TlsFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TLS material of the bench's native mesh in TLS mode ({@code baseline-mesh.sh} with {@code BASELINE_TLS_DIR}),
 * issued by pgmesh's own {@link ClusterPki} in a PGMESH home of its own (no openssl): a CA, and for each node what
 * {@link ClusterPki#issueNode} hands a pgmesh node, written to {@code <dir>/node<i>/<name>} (keys 0600). The server
 * certificates carry the names the node is reached at, as pgmesh's runtime issues them: its host name, container name
 * and address, and 127.0.0.1 and localhost (its published port).
 *
 * @param dir    what to pass as {@code BASELINE_TLS_DIR}
 * @param caFile the CA clients verify the nodes against ({@code sslrootcert})
 */
record TlsMaterial(Path dir, Path caFile) {

    /** The replication role of the native mesh (its subscriptions log in as it, by certificate). */
    static final String REPLICATION_ROLE = "replicator";

    /**
     * Issues fresh material for {@code nodes} nodes of the script's mesh {@code cluster} on 172.28.{octet}.0/24 (node i
     * at .{10 + i}, as the script places them); {@code home} is emptied first.
     */
    static TlsMaterial issue(Path home, String cluster, int octet, int nodes) {
        try {
            deleteTree(home);
            Files.createDirectories(home);
            ClusterPki pki = ClusterPki.ensure(home, cluster);
            Path dir = home.resolve("baseline-tls");
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            for (int i = 0; i < nodes; i++) {
                String node = MeshNames.nodeName(i);
                Map<String, String> files = pki.issueNode(node, REPLICATION_ROLE, names(cluster, octet, i));
                Path nodeDir = dir.resolve(node);
                Files.createDirectories(nodeDir);
                restrict(nodeDir, "rwx------");
                for (String name : List.of(TlsFiles.CA, TlsFiles.CRL, TlsFiles.SERVER_CERT, TlsFiles.SERVER_KEY,
                        TlsFiles.REPLICATOR_CERT, TlsFiles.REPLICATOR_KEY)) {
                    Path file = nodeDir.resolve(name);
                    Files.writeString(file, files.get(name), StandardCharsets.US_ASCII);
                    restrict(file, "rw-------");
                }
            }
            return new TlsMaterial(dir, pki.caFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot issue the native mesh's TLS material under " + home + ": "
                    + e.getMessage(), e);
        }
    }

    /** The names node {@code index} of the script's mesh is reached at (its certificate's SANs). */
    static List<String> names(String cluster, int octet, int index) {
        String node = MeshNames.nodeName(index);
        List<String> names = new ArrayList<>();
        names.add(node); // the script's --hostname
        names.add(cluster + "-" + node); // its container name
        names.add("172.28." + octet + "." + (10 + index)); // its address (the subscriptions' host)
        names.add("127.0.0.1"); // its published port (the bench's clients)
        names.add("localhost");
        return names;
    }

    /** Removes {@code home} and everything in it. */
    static void deleteTree(Path home) {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + home + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
