package io.pgmesh.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real pgmesh CLI in its own JVM, killed with SIGKILL at a chosen step, like a user's Ctrl-\
 * or an OOM kill: no shutdown hook and no finally block of the orchestrator runs. {@link #haltAt}
 * picks the point by step name (the orchestrator's step hook halts its JVM there); {@link #killAt},
 * for points inside a step, is the first output line that starts with {@code killAt}; when
 * {@code ready} is given, the kill also waits (polled, with a deadline) until it holds, e.g. until a
 * daemon has begun the next step.
 */
final class KilledCli {

    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(5);

    /** What the child printed before it was killed, and how long it ran. */
    record Result(List<String> output, double seconds) {
        boolean printed(String prefix) {
            return output.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    private KilledCli() {
    }

    /** Runs {@code pgmesh args... --cluster C --config F} and kills it at {@code killAt}; fails if it was not killed. */
    static Result killAt(String cluster, Path config, String killAt, BooleanSupplier ready, String... args)
            throws IOException, InterruptedException {
        List<String> output = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        Process child = start(cluster, config, output, killAt, ready, args);
        try {
            assertThat(child.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("the child '" + String.join(" ", args) + "' reached '" + killAt + "' and was killed within "
                            + CHILD_DEADLINE).isTrue();
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(output).as("the child reached '" + killAt + "'").anyMatch(l -> l.startsWith(killAt));
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            return new Result(List.copyOf(output), seconds);
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Runs {@code pgmesh args...} with the orchestrator's step hook set to halt the JVM (exit 137, as SIGKILL: no
     * shutdown hook, no finally block) at {@code point}, {@code before|after:NODE:STEP} of a join or leave table.
     */
    static Result haltAt(String cluster, Path config, String point, String... args)
            throws IOException, InterruptedException {
        List<String> output = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        Process child = startHalting(cluster, config, output, point, args);
        try {
            assertThat(child.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("the child '" + String.join(" ", args) + "' halted at '" + point + "' within " + CHILD_DEADLINE)
                    .isTrue();
            double seconds = (System.nanoTime() - started) / 1e9;
            // the output is read by another thread: the child's last lines may still be on their way
            await("the child reached '" + point + "'").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> output.stream().anyMatch(l -> l.contains("] halted ") && l.endsWith("(PGMESH_TEST_HALT_AT)")));
            assertThat(child.exitValue()).as("halted as by SIGKILL").isEqualTo(137);
            return new Result(List.copyOf(output), seconds);
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process start(String cluster, Path config, List<String> out, String killAt, BooleanSupplier ready,
                                 String... args) throws IOException {
        return launch(cluster, config, out, killAt, ready, null, args);
    }

    private static Process startHalting(String cluster, Path config, List<String> out, String haltAt, String... args)
            throws IOException {
        return launch(cluster, config, out, null, () -> true, haltAt, args);
    }

    private static Process launch(String cluster, Path config, List<String> out, String killAt, BooleanSupplier ready,
                                  String haltAt, String[] args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.pgmesh.orchestrator.cli.PgMesh"));
        command.addAll(List.of(args));
        command.addAll(List.of("--cluster", cluster, "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGMESH_HOME", TestClusters.HOME.toAbsolutePath().toString());
        if (haltAt != null) {
            builder.environment().put("PGMESH_TEST_HALT_AT", haltAt);
        }
        Process process = builder.start();
        String label = "[child " + args[0] + "] ";
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (killAt != null && line.startsWith(killAt) && process.isAlive()) {
                        await("kill condition after '" + killAt + "'").atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(5)).until(ready::getAsBoolean);
                        process.destroyForcibly();
                        System.out.println(label + line + "   <- killed here (SIGKILL)");
                    } else {
                        System.out.println(label + line);
                    }
                    out.add(line);
                }
            } catch (IOException e) {
                // the pipe closes under the reader when the child is killed: its output ends there
                System.out.println(label + "output ended: " + e.getMessage());
            } catch (RuntimeException e) {
                System.out.println(label + "kill condition failed: " + e.getMessage());
                process.destroyForcibly();
            }
        }, "child-cli-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }
}
