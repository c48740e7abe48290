package io.pgmesh.orchestrator.config;

import java.util.List;

/**
 * The configuration could not be read or is invalid. {@link #problems()} lists every problem found,
 * each as "json.path: reason"; the message repeats them one per line after a header naming the source.
 * Problems never contain password values. Unchecked: the CLI's error handler turns it into an exit code.
 */
public final class ConfigException extends RuntimeException {

    private final String source;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        String header = source + ": " + (problems.size() == 1 ? "1 problem" : problems.size() + " problems");
        return header + System.lineSeparator() + String.join(System.lineSeparator(), problems);
    }
}
