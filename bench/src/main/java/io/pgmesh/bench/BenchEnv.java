package io.pgmesh.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the run finds its inputs and puts its outputs.
 *
 * @param repoRoot  the repository (sysconfig.json, bench/baseline-mesh.sh)
 * @param cliJar    the orchestrator's CLI jar, to time {@code pgmesh up} as a user runs it (empty: in-process only)
 * @param workDir   scratch: configs, secrets (PGMESH_HOME), process logs
 * @param report    the Markdown file written (docs/BENCHMARKS.md for the full run)
 * @param plotDir   where the PNG plots go
 */
record BenchEnv(Path repoRoot, Optional<Path> cliJar, Path workDir, Path report, Path plotDir) {

    Path script() {
        return repoRoot.resolve("bench").resolve("baseline-mesh.sh");
    }

    Path shippedConfig() {
        return repoRoot.resolve("sysconfig.json");
    }

    Path home() {
        return workDir.resolve("pgmesh-home");
    }
}
