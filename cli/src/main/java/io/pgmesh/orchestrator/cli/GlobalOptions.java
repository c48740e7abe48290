package io.pgmesh.orchestrator.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command takes. */
public final class GlobalOptions {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "sysconfig.json",
            description = "Cluster configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--cluster", paramLabel = "NAME", defaultValue = "pgmesh",
            description = "Cluster name: prefixes containers and network, labels everything (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;
}
