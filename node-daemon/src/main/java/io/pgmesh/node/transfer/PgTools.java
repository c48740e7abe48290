package io.pgmesh.node.transfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    /**
     * The tables' rows (data only, custom format, compressed) as seen by {@code snapshot}, an exported snapshot the
     * caller's transaction keeps alive until this returns.
     */
    public Outcome dump(String database, String snapshot, List<String> tables, Path file) throws IOException {
        List<String> command = new ArrayList<>(List.of(pgBin.resolve("pg_dump").toString(), "--host=" + socketDir,
                "--username=postgres", "--no-password", "--dbname=" + database, "--format=custom", "--data-only",
                "--snapshot=" + snapshot, "--file=" + file));
        tables.forEach(t -> command.add("--table=public." + t));
        return run(command);
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
        return run(command);
    }

    private static Outcome run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (last.size() == LAST_LINES) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        }
        try {
            return new Outcome(p.waitFor(), List.copyOf(last));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " was interrupted", e);
        }
    }
}
