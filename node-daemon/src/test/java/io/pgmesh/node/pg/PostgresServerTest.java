package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the postmaster's pid when the daemon adopts a running PostgreSQL. */
class PostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void readsThePidFromTheFirstLineOfPostmasterPid() throws IOException {
        Path file = dir.resolve("postmaster.pid");
        Files.writeString(file, "4711\n/var/lib/postgresql/17/main\n1732500000\n5432\n/var/run/postgresql\n*\n");
        assertThat(PostgresServer.postmasterPid(file)).isEqualTo(4711L);
    }

    @Test
    void aFirstLineThatIsNoPidIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("postmaster.pid");
        Files.writeString(file, "-12\n");
        assertThatThrownBy(() -> PostgresServer.postmasterPid(file))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("'-12'");
        Files.writeString(file, "abc\n");
        assertThatThrownBy(() -> PostgresServer.postmasterPid(file)).hasMessageContaining("'abc'");
    }

    @Test
    void anEmptyOrMissingFileIsAnError() throws IOException {
        Path file = dir.resolve("postmaster.pid");
        Files.writeString(file, "");
        assertThatThrownBy(() -> PostgresServer.postmasterPid(file)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> PostgresServer.postmasterPid(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
