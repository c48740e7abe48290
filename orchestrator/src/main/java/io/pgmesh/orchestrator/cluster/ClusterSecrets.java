package io.pgmesh.orchestrator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-cluster role passwords and the cluster's RPC secret. A password set in sysconfig.json wins;
 * otherwise the one stored for the cluster is used; otherwise one is generated at {@code up} and
 * stored in {@code $PGMESH_HOME/clusters/<cluster>/secrets.json} (default PGMESH_HOME: ~/.pgmesh),
 * readable by its owner only. The RPC secret is always generated. Secrets are never printed.
 */
public final class ClusterSecrets {

    public static final String OWNER = "owner";
    public static final String REPLICATOR = "replicator";
    public static final String WRITER = "writer";
    public static final String READER = "reader";
    /** Not a role: the secret every JSON-RPC call to the cluster's daemons carries (always generated). */
    public static final String RPC = "rpc";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Map<String, String> passwords;

    private ClusterSecrets(Path file, Map<String, String> passwords) {
        this.file = file;
        this.passwords = passwords;
    }

    /** Where pgmesh keeps per-cluster state: $PGMESH_HOME or ~/.pgmesh. */
    public static Path home() {
        String env = System.getenv("PGMESH_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".pgmesh");
    }

    public static Path fileFor(Path home, String cluster) {
        return home.resolve("clusters").resolve(cluster).resolve("secrets.json");
    }

    /**
     * The cluster's passwords: configured ones win, stored ones next, missing ones are generated
     * and stored (when {@code createMissing}); without it a missing password is an error.
     */
    public static ClusterSecrets resolve(Path home, String cluster, Map<String, Optional<String>> configured,
                                         boolean createMissing) {
        Path file = fileFor(home, cluster);
        Map<String, String> stored = read(file);
        Map<String, String> result = new LinkedHashMap<>();
        boolean changed = false;
        for (String role : new String[]{OWNER, REPLICATOR, WRITER, READER, RPC}) {
            Optional<String> fromConfig = configured.getOrDefault(role, Optional.empty());
            if (fromConfig.isPresent()) {
                result.put(role, fromConfig.get());
            } else if (stored.containsKey(role)) {
                result.put(role, stored.get(role));
            } else if (createMissing) {
                result.put(role, generatePassword());
                changed = true;
            } else {
                throw new IllegalStateException("no password for role '" + role + "' of cluster " + cluster
                        + ": it is neither in sysconfig.json nor in " + file + " (was the cluster created with 'pgmesh up'?)");
            }
        }
        if (changed) {
            Map<String, String> toStore = new LinkedHashMap<>(stored);
            result.forEach((role, pw) -> {
                if (configured.getOrDefault(role, Optional.empty()).isEmpty()) {
                    toStore.put(role, pw);
                }
            });
            write(file, toStore);
        }
        return new ClusterSecrets(file, result);
    }

    public String password(String role) {
        String pw = passwords.get(role);
        if (pw == null) {
            throw new IllegalArgumentException("unknown role " + role);
        }
        return pw;
    }

    /** The secret every JSON-RPC call to this cluster's daemons carries. */
    public String rpcSecret() {
        return password(RPC);
    }

    /** The stored RPC secret of {@code cluster}; an error naming the file when there is none. */
    public static String rpcSecret(Path home, String cluster) {
        Path file = fileFor(home, cluster);
        String secret = read(file).get(RPC);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("no RPC secret for cluster " + cluster + " in " + file
                    + ": was the cluster created with 'pgmesh up' by this user (same PGMESH_HOME)?");
        }
        return secret;
    }

    public Path file() {
        return file;
    }

    /** Prefix of a password that a rotation is rolling out: stored before any node has it. */
    static final String PENDING = "pending.";

    /**
     * The new passwords of a rotation of {@code roles}: generated and stored as pending before any node gets them, so
     * an interrupted rotation is finished with the same passwords (a node that already took them keeps working).
     */
    public static Map<String, String> pendingPasswords(Path home, String cluster, java.util.Collection<String> roles) {
        Path file = fileFor(home, cluster);
        Map<String, String> stored = new LinkedHashMap<>(read(file));
        Map<String, String> pending = new LinkedHashMap<>();
        boolean changed = false;
        for (String role : roles) {
            String value = stored.get(PENDING + role);
            if (value == null) {
                value = generatePassword();
                stored.put(PENDING + role, value);
                changed = true;
            }
            pending.put(role, value);
        }
        if (changed) {
            write(file, stored);
        }
        return pending;
    }

    /** Ends a rotation: the pending passwords become the roles' passwords. */
    public static void promotePending(Path home, String cluster) {
        Path file = fileFor(home, cluster);
        Map<String, String> stored = new LinkedHashMap<>(read(file));
        Map<String, String> promoted = new LinkedHashMap<>();
        stored.forEach((key, value) -> {
            if (!key.startsWith(PENDING)) {
                promoted.put(key, value);
            }
        });
        stored.forEach((key, value) -> {
            if (key.startsWith(PENDING)) {
                promoted.put(key.substring(PENDING.length()), value);
            }
        });
        write(file, promoted);
    }

    /** Deletes the cluster's stored secrets (at {@code down}). */
    public static void delete(Path home, String cluster) {
        Path dir = fileFor(home, cluster).getParent();
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static String generatePassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Map<String, String> values) {
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path dir = file.getParent();
            Files.createDirectories(dir);
            if (posix) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            Path tmp = Files.createTempFile(dir, "secrets", ".tmp");
            if (posix) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            ObjectNode node = JSON.createObjectNode();
            values.forEach(node::put);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecrets[" + file + ", passwords=***]";
    }
}
