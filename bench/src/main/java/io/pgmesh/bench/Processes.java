package io.pgmesh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a deadline, its output kept in a log file, its wall time measured. */
final class Processes {

    record Outcome(int exitCode, double seconds, String output) {
    }

    private Processes() {
    }

    /**
     * Runs {@code command} (stdout and stderr together into {@code log}, appended); the wall time runs from just
     * before the process is started until it has exited. A command still running at {@code timeout} is killed
     * and is an error.
     */
    static Outcome run(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.getParent());
            Path output = Files.createTempFile(log.getParent(), "out", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            pb.environment().putAll(environment);
            long start = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!done) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s; output in " + log);
            }
            return new Outcome(p.exitValue(), seconds, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** As {@link #run}, failing unless the command exits with 0. */
    static Outcome require(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        Outcome o = run(command, environment, log, timeout);
        if (o.exitCode() != 0) {
            String out = o.output().strip();
            throw new IllegalStateException(String.join(" ", command) + " exited with " + o.exitCode() + ": "
                    + out.substring(Math.max(0, out.length() - 2000)));
        }
        return o;
    }
}
