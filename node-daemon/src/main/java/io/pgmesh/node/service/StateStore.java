package io.pgmesh.node.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgmesh.protocol.NetworkTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What the node was told, as JSON files in the state directory (atomic writes), so a restarted
 * daemon knows itself: topology.json and database.json (names only, never passwords).
 */
public final class StateStore {

    /** The replicated database and the names of its roles, as initDatabase created them. */
    public record DatabaseRoles(String name, String owner, String replicator, String writer, String reader) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;

    public StateStore(Path directory) {
        this.directory = directory;
    }

    public Optional<NetworkTopology> topology() {
        return read("topology.json", NetworkTopology.class);
    }

    public void saveTopology(NetworkTopology topology) {
        write("topology.json", topology);
    }

    public Optional<DatabaseRoles> database() {
        return read("database.json", DatabaseRoles.class);
    }

    public void saveDatabase(DatabaseRoles database) {
        write("database.json", database);
    }

    private <T> Optional<T> read(String name, Class<T> type) {
        Path file = directory.resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(String name, Object value) {
        Path file = directory.resolve(name);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, name, ".tmp");
            Files.write(temp, JSON.writeValueAsBytes(value));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
