package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.config.ConfigException;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.DockerOperationException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's contract without Docker: usage, config errors and exit codes. */
class PgMeshCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PgMesh.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void invalidConfigExitsWithItsCodeNamingThePathWithoutStackTrace() throws Exception {
        String shipped = Files.readString(Path.of("..", "sysconfig.json"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, shipped.replace("\"max_nodes\": 8", "\"max_nodes\": 2"));
        int code = run("status", "--config", bad.toString());
        assertThat(code).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(err.toString()).contains("system.networks[0].config.scale.max_nodes")
                .doesNotContain("\tat io.pgmesh");
        assertThat(err.toString().lines()).as("one problem, one line").containsExactly("pgmesh: error: " + bad
                + ": system.networks[0].config.scale.max_nodes: must be >= min_nodes (3)");
    }

    @Test
    void missingConfigFileIsAnInvalidConfigNamingTheFile() {
        int code = run("status", "--config", dir.resolve("nope.json").toString());
        assertThat(code).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(err.toString()).contains("nope.json");
    }

    @Test
    void nodesOutOfRangeIsAUsageErrorBeforeDockerIsTouched() {
        int code = run("up", "--nodes", "9", "--config", Path.of("..", "sysconfig.json").toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--nodes: 9 is out of range 1..8");
    }

    @Test
    void invalidClusterNameIsRefused() throws Exception {
        int code = run("down", "--cluster", "Bad Name!", "--config", Path.of("..", "sysconfig.json").toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--cluster");
    }

    @Test
    void aBadPruneAgeIsAUsageErrorNamingTheOptionBeforeDockerIsTouched() {
        int code = run("conflicts", "prune", "--older-than", "yesterday", "--config",
                Path.of("..", "sysconfig.json").toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--older-than").contains("'yesterday' is not a duration");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        List<List<String>> commands = new java.util.ArrayList<>();
        collect(PgMesh.newCommandLine(), List.of(), commands);
        assertThat(commands).extracting(c -> String.join(" ", c)).contains("up", "status", "add-node", "remove-node",
                "start-node", "stop-node", "stop", "start", "restart", "upgrade", "resync", "credentials", "test", "check", "repair", "conflicts", "conflicts explain", "conflicts prune", "logs", "down",
                "completion");
        for (List<String> cmd : commands) {
            out.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(cmd);
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as(cmd.toString()).isZero();
            assertThat(out.toString()).as(cmd.toString()).containsPattern("Examples?:\\R  pgmesh " + String.join(" ", cmd));
            boolean actsOnACluster = !List.of("completion", "conflicts").contains(String.join(" ", cmd));
            if (actsOnACluster) {
                assertThat(out.toString()).as(cmd.toString()).contains("--cluster").contains("--config");
            }
        }
    }

    private static void collect(CommandLine parent, List<String> path, List<List<String>> into) {
        parent.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) {
                return; // picocli's own help command; aliases
            }
            List<String> cmd = new java.util.ArrayList<>(path);
            cmd.add(name);
            into.add(cmd);
            collect(sub, cmd, into);
        });
    }

    // ---- status --json / --matrix, logs, completion: what is decided before Docker is asked ----

    @Test
    void jsonAndMatrixExcludeEachOther() {
        assertThat(run("status", "--json", "--matrix")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--json", "--matrix", "mutually exclusive");
    }

    @Test
    void logsNeedsANodeAndANonNegativeTail() {
        assertThat(run("logs")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("NODE");
        err.getBuffer().setLength(0);
        assertThat(run("logs", "node0", "--tail", "-1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--tail: must be >= 0, got -1");
        err.getBuffer().setLength(0);
        assertThat(run("logs", "node0", "--tail", "x")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void logsParsesFollowTailAndTimestamps() {
        CommandLine cli = PgMesh.newCommandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("logs", "node1", "-f", "--tail", "5", "-t");
        LogsCommand logs = (LogsCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(logs.node).isEqualTo("node1");
        assertThat(logs.follow).isTrue();
        assertThat(logs.tail).isEqualTo(5);
        assertThat(logs.timestamps).isTrue();
        LogsCommand defaults = (LogsCommand) PgMesh.newCommandLine().parseArgs("logs", "node0").subcommand()
                .commandSpec().userObject();
        assertThat(defaults.follow).isFalse();
        assertThat(defaults.tail).as("all lines").isNull();
    }

    @Test
    void anUnknownNodeIsNamedWithTheNodesTheClusterHas() {
        var n0 = new io.pgmesh.orchestrator.runtime.NodeContainer("a", "c-node0", "node0", 0, "1", true, "running", 1, 2);
        var n1 = new io.pgmesh.orchestrator.runtime.NodeContainer("b", "c-node1", "node1", 1, "1", true, "running", 3, 4);
        assertThat(LogsCommand.unknownNode("c", "node9", List.of(n0, n1)))
                .isEqualTo("no node 'node9' in cluster c; its nodes: node0, node1");
        assertThat(LogsCommand.unknownNode("c", "node9", List.of()))
                .isEqualTo("no node 'node9': cluster c has no nodes (run 'pgmesh up')");
        assertThat(LogsCommand.find(List.of(n0, n1), "node1")).contains(n1);
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        assertThat(run("completion")).isZero();
        String script = out.toString();
        assertThat(script).startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_pgmesh")
                .contains("logs", "add-node", "start-node", "completion", "--follow", "--matrix", "--json");
    }

    @Test
    void statusAndCheckParseTheirFormats() {
        StatusCommand status = (StatusCommand) PgMesh.newCommandLine().parseArgs("ps", "--matrix").subcommand()
                .commandSpec().userObject();
        assertThat(status.format.matrix).isTrue();
        assertThat(status.logToStderr()).isFalse();
        StatusCommand json = (StatusCommand) PgMesh.newCommandLine().parseArgs("status", "--json").subcommand()
                .commandSpec().userObject();
        assertThat(json.logToStderr()).as("stdout holds the document only").isTrue();
        CheckCommand check = (CheckCommand) PgMesh.newCommandLine().parseArgs("check", "--json").subcommand()
                .commandSpec().userObject();
        assertThat(check.logToStderr()).isTrue();
    }

    // ---- failures whose message says cause and fix: one line, their own exit code, a stack trace only with -v ----

    /** Runs the CLI with the engine looked for at {@code host} (the property DockerEngine honours). */
    private int runAgainstEngine(String host, String... args) {
        String before = System.getProperty(DockerEngine.HOST_PROPERTY);
        System.setProperty(DockerEngine.HOST_PROPERTY, host);
        try {
            return run(args);
        } finally {
            if (before == null) {
                System.clearProperty(DockerEngine.HOST_PROPERTY);
            } else {
                System.setProperty(DockerEngine.HOST_PROPERTY, before);
            }
        }
    }

    @Test
    void unreachableEngineIsOneLineWithCauseAndFix() {
        String host = "unix://" + dir.resolve("no-engine.sock");
        for (String command : new String[]{"status", "up", "down"}) {
            err.getBuffer().setLength(0);
            long started = System.nanoTime();
            int code = runAgainstEngine(host, command, "--config", Path.of("..", "sysconfig.json").toString());
            assertThat(code).as(command).isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
            assertThat(err.toString().lines()).as(command).singleElement().asString()
                    .startsWith("pgmesh: error: the Docker engine at " + host + " does not answer (")
                    .contains("start it with: bash docker/ensure-engine.sh")
                    .contains("DOCKER_HOST");
            assertThat((System.nanoTime() - started) / 1_000_000).as("a missing socket fails at once").isLessThan(10_000);
        }
    }

    @Test
    void unreachableEngineShowsTheStackTraceWithVerbose() {
        String host = "unix://" + dir.resolve("no-engine.sock");
        for (String verbose : new String[]{"-v", "--verbose"}) {
            err.getBuffer().setLength(0);
            int code = runAgainstEngine(host, "status", verbose, "--config", Path.of("..", "sysconfig.json").toString());
            assertThat(code).isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
            assertThat(err.toString()).startsWith("pgmesh: error: the Docker engine at " + host)
                    .contains(DockerOperationException.class.getName())
                    .contains("\tat io.pgmesh.orchestrator.docker.DockerEngine.connect");
        }
    }

    @Test
    void unusableEngineAddressIsAnUnreachableEngineNamingTheSetting() {
        int code = runAgainstEngine("ftp://nowhere", "status", "--config", Path.of("..", "sysconfig.json").toString());
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("pgmesh: error: " + DockerEngine.HOST_PROPERTY + " 'ftp://nowhere' does not name a usable"
                        + " Docker engine")
                .contains("unset it");
        err.getBuffer().setLength(0);
        assertThat(runAgainstEngine("bogus", "status", "--config", Path.of("..", "sysconfig.json").toString()))
                .isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
        assertThat(err.toString().lines()).containsExactly("pgmesh: error: " + DockerEngine.HOST_PROPERTY + " 'bogus'"
                + " does not name a usable Docker engine (not a URI with a scheme such as unix:// or tcp://);"
                + " set it to e.g. unix:///var/run/docker.sock, or unset it");
    }

    /** A command that fails with a given exception, to see how the real handler renders it. */
    @CommandLine.Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        final RuntimeException failure;

        @CommandLine.Option(names = {"-v", "--verbose"})
        boolean verbose;

        Failing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private int runFailing(RuntimeException failure, String... args) {
        CommandLine cli = new CommandLine(new Failing(failure))
                .setExecutionExceptionHandler(new ErrorHandler())
                .setExitCodeExceptionMapper(ErrorHandler::exitCode);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void imageAndConflictFailuresAreOneLineWithTheirOwnCodes() {
        record Case(RuntimeException failure, int code) {
        }
        Exception cause = new RuntimeException("deep cause");
        for (Case c : List.of(
                new Case(new DockerOperationException(Kind.IMAGE_BUILD_FAILED, "building the node image failed: x;"
                        + " check that the Debian mirror is reachable from containers, then run again", cause),
                        ExitCodes.IMAGE),
                new Case(new DockerOperationException(Kind.IMAGE_MISSING, "no base image; create one with: bash"
                        + " docker/ensure-base-image.sh", null), ExitCodes.IMAGE),
                new Case(new DockerOperationException(Kind.CONFLICT, "a container named c exists; remove it", cause),
                        ExitCodes.CONFLICT),
                new Case(new ConfigException("f.json", List.of("a.b: bad")), ExitCodes.INVALID_CONFIG))) {
            err.getBuffer().setLength(0);
            assertThat(runFailing(c.failure())).isEqualTo(c.code());
            assertThat(err.toString().lines()).as(c.toString()).singleElement().asString().startsWith("pgmesh: error: ");
            err.getBuffer().setLength(0);
            assertThat(runFailing(c.failure(), "--verbose")).isEqualTo(c.code());
            assertThat(err.toString()).as("the stack trace with --verbose")
                    .contains(c.failure().getClass().getName() + ": ").contains("\tat io.pgmesh.");
        }
    }

    @Test
    void severalConfigProblemsKeepOneLineEach() {
        assertThat(runFailing(new ConfigException("f.json", List.of("a.b: bad", "a.c: worse"))))
                .isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(err.toString().lines()).containsExactly("pgmesh: error: f.json: 2 problems", "a.b: bad", "a.c: worse");
    }

    @Test
    void anUnexpectedFailureSaysHowToGetTheStackTrace() {
        assertThat(runFailing(new IllegalStateException("odd"))).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().lines())
                .containsExactly("pgmesh: error: odd", "(run again with --verbose for the stack trace)");
    }

    @Test
    void aUsageErrorFoundByAUseCaseExitsWithTheUsageCodeOnOneLine() {
        UsageException unknownNode = new UsageException("NODE", "cluster c has no node 'node9' (nodes: node0, node1);"
                + " use 'pgmesh add-node' to add one");
        assertThat(runFailing(unknownNode)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).containsExactly("pgmesh: error: NODE: cluster c has no node 'node9'"
                + " (nodes: node0, node1); use 'pgmesh add-node' to add one");
        err.getBuffer().setLength(0);
        assertThat(runFailing(unknownNode, "--verbose")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains(UsageException.class.getName() + ": NODE: ").contains("\tat io.pgmesh.");
    }

    @Test
    void anIllegalArgumentThatIsNotAUsageErrorIsABugExitingWithFailureAndTheHint() {
        for (RuntimeException bug : List.of(new IllegalArgumentException("index 40 is outside range 0..31"),
                new NumberFormatException("For input string: \"x\""))) {
            err.getBuffer().setLength(0);
            assertThat(runFailing(bug)).as(bug.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.toString().lines()).as(bug.toString()).hasSize(2)
                    .last().isEqualTo("(run again with --verbose for the stack trace)");
        }
        assertThat(ErrorHandler.exitCode(new IllegalArgumentException("x"))).isEqualTo(ExitCodes.FAILURE);
        assertThat(ErrorHandler.exitCode(new UsageException("--nodes", "x"))).isEqualTo(ExitCodes.USAGE);
    }
}
