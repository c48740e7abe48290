package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.backup.BackupException;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.config.ConfigException;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import com.github.dockerjava.api.exception.DockerException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Prints a failure as a message with its evidence, not a stack trace (unless --verbose). A failure whose message
 * already says the cause and the fix (a usage error, an invalid config, an unreachable engine, a missing or
 * unbuildable image, a name or subnet conflict) is one line; any other failure also says how to get the stack trace.
 * Only a {@link UsageException} (or picocli's own parameter errors) exits with {@link ExitCodes#USAGE}: any other
 * {@link IllegalArgumentException} is a bug and exits with {@link ExitCodes#FAILURE}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println("pgmesh: error: " + message(e));
        if (e instanceof DockerOperationException d && !d.lastLogLines().isEmpty()) {
            err.println("last log lines of the container:");
            d.lastLogLines().forEach(l -> err.println("  | " + l));
        }
        if (verbose(parseResult)) {
            e.printStackTrace(err);
        } else if (!selfExplaining(e)) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return exitCode(e);
    }

    /** Whether the message states the cause and the fix, so that a stack trace would add nothing for a user. */
    static boolean selfExplaining(Throwable e) {
        if (e instanceof UsageException || e instanceof ConfigException || e instanceof BackupException) {
            return true;
        }
        return e instanceof DockerOperationException d && switch (d.kind()) {
            case ENGINE_UNREACHABLE, IMAGE_MISSING, IMAGE_BUILD_FAILED, CONFLICT -> true;
            default -> false;
        };
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof UsageException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof ConfigException) {
            return ExitCodes.INVALID_CONFIG;
        }
        if (e instanceof BackupException b) {
            return b.kind() == BackupException.Kind.CLUSTER_EXISTS ? ExitCodes.CONFLICT : ExitCodes.BACKUP_FILE;
        }
        if (e instanceof DockerOperationException d) {
            return switch (d.kind()) {
                case ENGINE_UNREACHABLE -> ExitCodes.ENGINE_UNREACHABLE;
                case IMAGE_MISSING, IMAGE_BUILD_FAILED -> ExitCodes.IMAGE;
                case CONFLICT -> ExitCodes.CONFLICT;
                default -> ExitCodes.FAILURE;
            };
        }
        return ExitCodes.FAILURE;
    }

    static String message(Throwable e) {
        if (e instanceof ConfigException c && c.problems().size() == 1) {
            return c.source() + ": " + c.problems().get(0);
        }
        if (e instanceof NodeRpcException || e instanceof DockerOperationException || e instanceof ConfigException
                || e instanceof BackupException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        if (e instanceof DockerException) {
            return "Docker engine: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean verbose(ParseResult parseResult) {
        ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.hasMatchedOption("--verbose");
    }
}
