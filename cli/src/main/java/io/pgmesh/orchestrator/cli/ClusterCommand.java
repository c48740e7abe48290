package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.cluster.HaltAt;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.docker.NodeImage;
import io.pgmesh.orchestrator.runtime.Runtimes;
import io.pgmesh.orchestrator.docker.DockerEngine;
import com.github.dockerjava.api.DockerClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Base of the commands that act on a cluster: loads the config, connects to Docker. */
abstract class ClusterCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Whether step logs go to stderr rather than stdout: a command whose stdout is a document for scripts
     * ({@code --json}) keeps it free of anything else.
     */
    boolean logToStderr() {
        return false;
    }

    /** The step log the cluster operation writes to; a command showing progress decorates it. */
    java.util.function.Consumer<String> stepLog(java.util.function.Consumer<String> plain) {
        return plain;
    }

    /** Config first (nothing is touched when it is invalid), then the engine. */
    ClusterContext context() {
        return context(loadConfig());
    }

    /** The local engine (it builds the node image; on the default runtime it also runs the nodes). */
    private DockerClient local;

    /**
     * The node image: built by the local engine from this pgmesh's daemon, then made available where the runtime runs
     * the nodes (pushed to the Swarm's registry on a Swarm).
     */
    ClusterUp.NodeImageSource nodeImage(ClusterContext ctx) {
        return () -> ctx.runtime().publishImage(new NodeImage(local, ctx.log()).ensureBuilt());
    }

    SysConfig loadConfig() {
        return SysConfigLoader.load(global.config);
    }

    ClusterContext context(SysConfig config) {
        io.pgmesh.protocol.SqlNames.problem(global.cluster).ifPresent(p -> {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cluster: " + p);
        });
        local = DockerEngine.connect();
        PrintWriter sink = logToStderr() ? spec.commandLine().getErr() : out();
        java.util.function.Consumer<String> log = stepLog(line -> {
            sink.println(line);
            sink.flush();
        });
        ClusterContext ctx = new ClusterContext(global.cluster, config, Runtimes.open(config, local, log),
                ClusterSecrets.home(), log);
        String haltAt = System.getenv(HaltAt.ENV);
        return haltAt == null || haltAt.isBlank() ? ctx : ctx.withSteps(HaltAt.parse(haltAt, log));
    }
}
