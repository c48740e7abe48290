package io.pgmesh.orchestrator.docker;

import java.util.List;

/**
 * A Docker engine operation failed. Carries what the user must know to fix it and, when a
 * container was involved, its last log lines.
 */
public class DockerOperationException extends RuntimeException {

    /** What went wrong, broadly; the CLI maps it to an exit code. */
    public enum Kind { ENGINE_UNREACHABLE, IMAGE_MISSING, IMAGE_BUILD_FAILED, CONFLICT, CONTAINER_FAILED, OTHER }

    private final Kind kind;
    private final List<String> lastLogLines;

    public DockerOperationException(Kind kind, String message, Throwable cause) {
        this(kind, message, List.of(), cause);
    }

    public DockerOperationException(Kind kind, String message, List<String> lastLogLines, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> lastLogLines() {
        return lastLogLines;
    }
}
