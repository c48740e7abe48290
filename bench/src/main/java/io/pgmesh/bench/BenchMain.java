package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.docker.DockerEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the bench and writes the report and plots.
 *
 * <pre>
 * java -cp ... io.pgmesh.bench.BenchMain [--smoke] [--only-under-load|--only-backup|--only-swarm|--only-tls] --repo DIR --work DIR --report FILE --plots DIR [--cli-jar FILE]
 * </pre>
 *
 * {@code bench/run} calls it for the full run (report docs/BENCHMARKS.md, plots docs/bench/). Exit 0 when the run
 * completed (whether or not the targets were met: the report says), 1 when it failed, 2 on bad arguments.
 */
public final class BenchMain {

    static final String COMMAND = "bench/run";

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> options;
        boolean smoke = false;
        boolean onlyUnderLoad = false;
        boolean onlyBackup = false;
        boolean onlySwarm = false;
        boolean onlyTls = false;
        try {
            options = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--only-under-load" -> onlyUnderLoad = true;
                    case "--only-backup" -> onlyBackup = true;
                    case "--only-swarm" -> onlySwarm = true;
                    case "--only-tls" -> onlyTls = true;
                    case "--repo", "--work", "--report", "--plots", "--cli-jar" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        options.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            for (String required : new String[]{"--repo", "--work", "--report", "--plots"}) {
                if (!options.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: BenchMain [--smoke] [--only-under-load|--only-backup|--only-swarm|--only-tls] --repo DIR"
                    + " --work DIR --report FILE"
                    + " --plots DIR [--cli-jar FILE]");
            System.exit(2);
            return;
        }
        BenchEnv env = new BenchEnv(Path.of(options.get("--repo")).toAbsolutePath().normalize(),
                Optional.ofNullable(options.get("--cli-jar")).map(p -> Path.of(p).toAbsolutePath()),
                Path.of(options.get("--work")).toAbsolutePath(), Path.of(options.get("--report")).toAbsolutePath(),
                Path.of(options.get("--plots")).toAbsolutePath());
        long start = System.nanoTime();
        Consumer<String> out = line -> System.out.printf("%7.1f %s%n", (System.nanoTime() - start) / 1e9, line);
        try {
            BenchPlan plan = smoke ? BenchPlan.smoke() : BenchPlan.full();
            if (onlyTls) {
                runTls(plan, env, out);
            } else if (onlySwarm) {
                runSwarm(plan, env, out);
            } else if (onlyBackup) {
                runBackup(plan, env, out);
            } else if (onlyUnderLoad) {
                runUnderLoad(plan, env, out);
            } else {
                run(plan, env, out);
            }
            System.exit(0);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.err.println("bench: failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs section 7 of the plan alone and replaces section 7 of the existing report (and its plot) with it; the
     * other sections and plots stay as the last full run left them.
     */
    static Results runUnderLoad(BenchPlan plan, BenchEnv env, Consumer<String> out) {
        Results results;
        try (DockerClient docker = DockerEngine.connect()) {
            results = new Bench(plan, env, docker, out).runUnderLoad();
        } catch (IOException e) {
            throw new IllegalStateException("closing the Docker client failed", e);
        }
        Plots.writeUnderLoad(results, env.plotDir());
        Path reportDir = env.report().getParent();
        String plotPath = reportDir.relativize(env.plotDir()).toString();
        plotPath = plotPath.isEmpty() ? "" : plotPath.replace('\\', '/') + "/";
        try {
            String existing = Files.exists(env.report()) ? Files.readString(env.report()) : "# Benchmarks\n";
            Report.write(env.report(), Report.withUnderLoadSection(existing, results, plotPath, COMMAND));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.accept("[bench] replaced section 7 of " + env.report() + " and its plot in " + env.plotDir());
        return results;
    }

    /**
     * Runs section 9 (a 3-host Swarm lab next to one engine) and puts it into the existing report in place of the last
     * one; the other sections stay. Not part of the full run: it builds a lab of its own.
     */
    static SwarmBench.Run runSwarm(BenchPlan plan, BenchEnv env, Consumer<String> out) {
        java.time.Instant started = java.time.Instant.now();
        SwarmBench.Run run;
        try (DockerClient docker = DockerEngine.connect()) {
            run = new Bench(plan, env, docker, out).runSwarm();
        } catch (IOException e) {
            throw new IllegalStateException("closing the Docker client failed", e);
        }
        String when = "Measured on its own by `" + COMMAND + " --only-swarm` (not part of the full run: it builds a lab)"
                + " on " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(started) + ".";
        try {
            String existing = Files.exists(env.report()) ? Files.readString(env.report()) : "# Benchmarks\n";
            Report.write(env.report(), Report.withSection(existing, SwarmBench.HEADING, SwarmBench.section(run, when)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.accept("[bench] wrote section 9 of " + env.report());
        return run;
    }

    /**
     * Runs section 10 (what TLS costs: the native mesh with and without TLS side by side, JSON-RPC over mutual TLS)
     * and puts it into the existing report in place of the last one; the other sections stay. Not part of the full
     * run.
     */
    static TlsBench.Run runTls(BenchPlan plan, BenchEnv env, Consumer<String> out) {
        java.time.Instant started = java.time.Instant.now();
        TlsBench.Run run;
        try (DockerClient docker = DockerEngine.connect()) {
            run = new Bench(plan, env, docker, out).runTls();
        } catch (IOException e) {
            throw new IllegalStateException("closing the Docker client failed", e);
        }
        String when = "Measured on its own by `" + COMMAND + " --only-tls` (not part of the full run) on "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(started) + " (" + plan.mode() + " plan).";
        try {
            String existing = Files.exists(env.report()) ? Files.readString(env.report()) : "# Benchmarks\n";
            Report.write(env.report(), Report.withSection(existing, TlsBench.HEADING, TlsBench.section(run, when)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.accept("[bench] wrote section 10 of " + env.report());
        return run;
    }

    /**
     * Runs section 8 (backup and restore next to pg_dump and pg_restore) and puts it into the existing report in place
     * of the last one; the other sections stay.
     */
    static BackupBench.Run runBackup(BenchPlan plan, BenchEnv env, Consumer<String> out) {
        java.time.Instant started = java.time.Instant.now();
        Load before = Load.now();
        BackupBench.Run run;
        try (DockerClient docker = DockerEngine.connect()) {
            run = new Bench(plan, env, docker, out).runBackup(plan.backupRows());
        } catch (IOException e) {
            throw new IllegalStateException("closing the Docker client failed", e);
        }
        String when = "Measured by `" + COMMAND + "` (alone: `" + COMMAND + " --only-backup`) on "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(started) + ", load average at start " + before + ".";
        try {
            String existing = Files.exists(env.report()) ? Files.readString(env.report()) : "# Benchmarks\n";
            Report.write(env.report(), Report.withSection(existing, BackupBench.HEADING,
                    BackupBench.section(List.of(run), when)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.accept("[bench] wrote section 8 of " + env.report());
        return run;
    }

    /** Runs the plan and writes the report and plots; returns the results. */
    static Results run(BenchPlan plan, BenchEnv env, Consumer<String> out) {
        env.cliJar().ifPresent(jar -> {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("--cli-jar: " + jar + " does not exist (build the cli module first)");
            }
        });
        Results results;
        try (DockerClient docker = DockerEngine.connect()) {
            results = new Bench(plan, env, docker, out).run();
        } catch (IOException e) {
            throw new IllegalStateException("closing the Docker client failed", e);
        }
        Map<String, Path> plots = Plots.write(results, env.plotDir());
        Path reportDir = env.report().getParent();
        String plotPath = reportDir.relativize(env.plotDir()).toString();
        plotPath = plotPath.isEmpty() ? "" : plotPath.replace('\\', '/') + "/";
        String text = Report.render(results, plotPath, plots, COMMAND, Report.keptTail(env.report()));
        Report.write(env.report(), text);
        runBackup(plan, env, out);
        out.accept("[bench] wrote " + env.report() + " and " + plots.size() + " plots in " + env.plotDir());
        return results;
    }
}
