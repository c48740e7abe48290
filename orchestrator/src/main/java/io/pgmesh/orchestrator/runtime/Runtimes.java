package io.pgmesh.orchestrator.runtime;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.config.RuntimeConfig;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.docker.DockerRuntime;
import io.pgmesh.orchestrator.swarm.SwarmRuntime;

import java.util.function.Consumer;

/** Opens the runtime {@code system.runtime} names. */
public final class Runtimes {

    private Runtimes() {
    }

    /**
     * The runtime of {@code config}; {@code local} is the local engine, which builds the node image (and runs the
     * nodes on the default runtime).
     */
    public static NodeRuntime open(SysConfig config, DockerClient local, Consumer<String> log) {
        if (config.runtime() instanceof RuntimeConfig.Swarm swarm) {
            return SwarmRuntime.connect(swarm, local, log);
        }
        return new DockerRuntime(local, log);
    }
}
