package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.conflict.ConflictTest;

import io.pgmesh.orchestrator.suite.InsertSuite;
import io.pgmesh.orchestrator.suite.SelectSuite;
import io.pgmesh.orchestrator.suite.Suite;
import io.pgmesh.orchestrator.suite.SuiteOptions;
import io.pgmesh.orchestrator.suite.SuiteRunner;
import io.pgmesh.orchestrator.suite.UpdateSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the load-balancing suites of the original example through the pool groups, spread over"
                + " all running nodes; each prints per node how many operations it served, errors and latency"
                + " p50/p95/p99. Runs again without cleanup. Exits 1 when an operation failed.",
        footer = {"", "Examples:", "  pgmesh test all", "  pgmesh test insert --scale 10 --no-sleep",
                "  pgmesh test conflicts --seconds 30 --rows 3"})
final class TestCommand extends ClusterCommand {

    enum Which { insert, update, select, all, conflicts }

    @Parameters(index = "0", paramLabel = "SUITE", description = "insert, update, select, all (those three in order),"
            + " or conflicts (threads pinned to different nodes fight over the same rows, then a check).")
    Which which;

    @Option(names = "--threads", paramLabel = "T", description = "conflicts: threads, each pinned to a node"
            + " (default: one per node, at least 2).")
    Integer threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "conflicts: how long the threads hammer (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--rows", paramLabel = "K", defaultValue = "5",
            description = "conflicts: how many rows they fight over (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--scale", paramLabel = "K", defaultValue = "1",
            description = "Multiply every operation count by K (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--no-sleep", description = "Drop the pauses between operations (load mode).")
    boolean noSleep;

    private Progress progress;

    /** {@code all} runs three suites: a step line as each begins, and a summary. */
    @Override
    java.util.function.Consumer<String> stepLog(java.util.function.Consumer<String> plain) {
        if (which != Which.all) {
            return plain;
        }
        progress = new Progress("test", 3, Progress::suiteStep, System::nanoTime, plain);
        return progress;
    }

    /** The check after the stress's repair, and the exit code: 7 when the nodes diverge, 1 when an operation failed. */
    private int conflicts(ConflictTest.Result result) {
        PrintWriter out = out();
        result.repair().after().tables().forEach(t -> out.println(CheckCommand.render(t)));
        out.flush();
        if (!result.repair().after().identical()) {
            return ExitCodes.DIVERGENCE;
        }
        return result.stress().errors() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    @Override
    public Integer call() throws Exception {
        if (scale < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--scale: must be >= 1, got " + scale);
        }
        if (which == Which.conflicts) {
            return conflicts(new ConflictTest(context()).run(threads, seconds, rows));
        }
        List<Suite> suites = switch (which) {
            case insert -> List.of(new InsertSuite());
            case update -> List.of(new UpdateSuite());
            case select -> List.of(new SelectSuite());
            case all -> List.of(new InsertSuite(), new UpdateSuite(), new SelectSuite());
            case conflicts -> throw new IllegalStateException("handled above");
        };
        List<SuiteRunner.SuiteResult> results = new SuiteRunner(context()).run(suites, new SuiteOptions(scale, !noSleep));
        if (progress != null) {
            progress.done();
        }
        return results.stream().allMatch(r -> r.stats().errors() == 0) ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
