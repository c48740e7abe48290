package io.pgmesh.node.tls;

import io.pgmesh.protocol.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the daemon keeps its TLS material: {@code <state dir>/tls}, a symbolic link to {@code tls-<generation>}, on the
 * node's data volume. A new generation is written into a directory of its own and then the link is swapped in one
 * rename, so PostgreSQL (which reads the files at start and reload) never sees a certificate next to another one's
 * key, and a daemon that dies half way leaves the previous generation in place. An older or equal generation is never
 * installed over a newer one: a container that restarts with the files it was created with keeps what a rotation
 * installed since.
 */
public final class TlsStore {

    private static final Logger log = LoggerFactory.getLogger(TlsStore.class);
    private static final String LINK = "tls";

    private final Path stateDir;

    public TlsStore(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** The directory PostgreSQL and the RPC server read: always the current generation. */
    public Path dir() {
        return stateDir.resolve(LINK);
    }

    /** The generation installed, 0 when none. */
    public long installedGeneration() {
        Path file = dir().resolve(TlsFiles.GENERATION);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            log.warn("{} is unreadable ({}); taking the installed TLS material as generation 0", file, e.toString());
            return 0;
        }
    }

    /**
     * At start: installs what the container was handed ({@code <deliveryDir>/pgmesh-tls-<name>}) when it is newer
     * than what is installed. Fails when, after that, nothing is installed: the node would serve nothing in clear.
     */
    public void installDelivered(Path deliveryDir) throws IOException {
        Optional<Map<String, String>> delivered = readDelivered(deliveryDir);
        if (delivered.isPresent()) {
            TlsBundle bundle = TlsBundle.check(delivered.get());
            if (install(bundle)) {
                log.info("installed the delivered TLS material, generation {}", bundle.generation());
            } else {
                log.info("keeping the installed TLS material, generation {} (delivered: {})", installedGeneration(),
                        bundle.generation());
            }
        }
        if (installedGeneration() == 0) {
            throw new IllegalStateException("no TLS material: none installed in " + dir() + " and none delivered in "
                    + deliveryDir + " (files " + TlsFiles.DELIVERY_PREFIX + "<name>); the orchestrator hands them over"
                    + " when it creates the node");
        }
    }

    /** Installs {@code bundle} unless the installed generation is the same or newer; whether it did. */
    public synchronized boolean install(TlsBundle bundle) throws IOException {
        if (bundle.generation() <= installedGeneration()) {
            return false;
        }
        Path target = stateDir.resolve(LINK + "-" + bundle.generation());
        deleteTree(target);
        Files.createDirectories(target);
        setMode(target, "rwx------");
        for (Map.Entry<String, String> file : bundle.files().entrySet()) {
            boolean secret = file.getKey().endsWith(".key");
            write(target.resolve(file.getKey()), file.getValue().getBytes(StandardCharsets.US_ASCII), secret);
        }
        write(target.resolve(TlsFiles.REPLICATOR_KEY_DER),
                TlsBundle.keyDer(bundle.files().get(TlsFiles.REPLICATOR_KEY), TlsFiles.REPLICATOR_KEY), true);
        Path previous = Files.isSymbolicLink(dir()) ? dir().resolveSibling(Files.readSymbolicLink(dir())) : null;
        Path newLink = stateDir.resolve(LINK + ".new");
        Files.deleteIfExists(newLink);
        Files.createSymbolicLink(newLink, target.getFileName());
        Files.move(newLink, dir(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (previous != null && !previous.equals(target)) {
            deleteTree(previous);
        }
        return true;
    }

    private static Optional<Map<String, String>> readDelivered(Path deliveryDir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : TlsFiles.DELIVERED) {
            Path file = deliveryDir.resolve(TlsFiles.DELIVERY_PREFIX + name);
            if (Files.exists(file)) {
                files.put(name, Files.readString(file, StandardCharsets.US_ASCII));
            }
        }
        return files.isEmpty() ? Optional.empty() : Optional.of(files);
    }

    private static void write(Path file, byte[] content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        setMode(tmp, secret ? "rw-------" : "rw-r-----");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void setMode(Path path, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException | FileSystemException ignored) {
            // not a POSIX file system (tests on other systems)
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
