package io.pgmesh.protocol;

import java.util.Map;

/**
 * New TLS material for a node: every file of {@link TlsFiles#DELIVERED} by name, PEM text (the generation as a
 * decimal number). {@link #toString()} never shows the keys.
 */
public record TlsInstallRequest(Map<String, String> files) {

    public TlsInstallRequest {
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    @Override
    public String toString() {
        return "TlsInstallRequest[generation=" + files.get(TlsFiles.GENERATION) + ", files=" + files.keySet().stream()
                .sorted().toList() + "]";
    }
}
