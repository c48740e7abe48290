package io.pgmesh.orchestrator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String cmd : new String[]{"up", "status", "down"}) {
            out.getBuffer().setLength(0);
            assertThat(run(cmd, "--help")).isZero();
            assertThat(out.toString()).contains("Example:").contains("--cluster").contains("--config");
        }
    }
}
