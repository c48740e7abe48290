package io.pgmesh.node.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's own pg_dump and pg_restore, run as the daemon's user (postgres) over the local unix socket. pgmesh does
 * not write a dump format of its own: a backup's data is a pg_dump archive any PostgreSQL tool can read.
 *
 * @param pgBin     directory of the PostgreSQL binaries
 * @param socketDir directory of the local server's unix socket
 */
public record PgTools(Path pgBin, Path socketDir) {

    /** Lines of a tool's stderr kept for the error message. */
    static final int LAST_LINES = 8;

    /** How a tool ended: its exit code and the last lines it wrote to stderr. */
    public record Outcome(int exitCode, List<String> lastLines) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** "pg_dump exited with 1: last line; ...". */
        String describe(String tool) {
            return tool + " exited with " + exitCode + (lastLines.isEmpty() ? "" : ": " + String.join(" | ", lastLines));
        }
    }

    /** A tool started in the background: {@link #await} waits for it. */
    public static final class Running {
        private final String tool;
        private final Process process;
        private final Path stderr;

        private Running(String tool, Process process, Path stderr) {
            this.tool = tool;
            this.process = process;
            this.stderr = stderr;
        }

        /** Waits until it ends; its stderr's last lines are kept, the file deleted. */
        public Outcome await() throws IOException {
            try {
                int code = process.waitFor();
                List<String> lines = Files.exists(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8)
                        : List.of();
                return new Outcome(code, List.copyOf(lines.subList(Math.max(0, lines.size() - LAST_LINES),
                        lines.size())));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(tool + " was interrupted", e);
            } finally {
                Files.deleteIfExists(stderr);
            }
        }
    }

    /**
     * Starts dumping the tables' rows (data only, custom format, compressed) as seen by {@code snapshot}, an exported
     * snapshot the caller's transaction must keep alive until {@link Running#await} returns (the caller may read in
     * that transaction meanwhile).
     */
    public Running startDump(String database, String snapshot, List<String> tables, Path file) throws IOException {
        List<String> command = new ArrayList<>(List.of(pgBin.resolve("pg_dump").toString(), "--host=" + socketDir,
                "--username=postgres", "--no-password", "--dbname=" + database, "--format=custom", "--data-only",
                "--snapshot=" + snapshot, "--file=" + file));
        tables.forEach(t -> command.add("--table=public." + t));
        return start(command, file.resolveSibling(file.getFileName() + ".stderr"));
    }

    /**
     * Loads the tables' rows from a pg_dump archive in one transaction (nothing is loaded when anything fails),
     * without firing triggers: every row keeps the version stamps it had on the node it was dumped from.
     */
    public Outcome restore(String database, List<String> tables, Path file) throws IOException {
        List<String> command = new ArrayList<>(List.of(pgBin.resolve("pg_restore").toString(), "--host=" + socketDir,
                "--username=postgres", "--no-password", "--dbname=" + database, "--data-only", "--disable-triggers",
                "--single-transaction", "--exit-on-error"));
        tables.forEach(t -> command.add("--table=" + t));
        command.add(file.toString());
        return start(command, file.resolveSibling(file.getFileName() + ".stderr")).await();
    }

    private static Running start(List<String> command, Path stderr) throws IOException {
        Files.deleteIfExists(stderr);
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        return new Running(Path.of(command.get(0)).getFileName().toString(), p, stderr);
    }
}
