package io.pgmesh.bench;

import io.pgmesh.node.pg.ServerConfig;
import io.pgmesh.node.pg.TableDdl;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.protocol.MeshNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline must do what pgmesh does, minus what only pgmesh does: its PostgreSQL settings, pg_hba file, table
 * and key ranges are compared with the node daemon's own renderings (no Docker needed).
 */
class BaselineScriptTest {

    private static final Path SCRIPT = Path.of("baseline-mesh.sh");
    private static final Path LOG = Path.of("target", "baseline-script-test.log");

    private static String script(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return Processes.require(command, Map.of(), LOG, Duration.ofSeconds(30)).output();
    }

    @Test
    void postgresSettingsAreTheDaemons() {
        String expected = ServerConfig.renderSettings(ServerConfig.Sizing.forMesh(8, 1), 4096,
                Path.of("/etc/postgresql/17/main/pgmesh_hba.conf"));
        assertThat(script("settings")).isEqualTo(expected);
    }

    @Test
    void hbaIsTheDaemonsWithoutTls() {
        // the native mesh is the daemon's without what pgmesh adds, TLS included (bench/run measures TLS apart)
        String daemons = ServerConfig.renderHba("replicator");
        List<String> withoutTls = daemons.lines().filter(l -> !l.contains(" cert"))
                .map(l -> l.replaceFirst("^hostssl ", "host ").replaceAll("\\s+", " ")).toList();
        assertThat(script("hba").lines().map(l -> l.replaceAll("\\s+", " ")).toList()).isEqualTo(withoutTls);
    }

    @Test
    void tableIsTheDaemonsWithTheNodesKeyRange() {
        SysConfig config = SysConfigLoader.load(Path.of("..", "sysconfig.json"));
        String sql = script("sql", "3");
        String create = sql.substring(sql.indexOf("CREATE TABLE"), sql.indexOf(");", sql.indexOf("CREATE TABLE")) + 1);
        assertThat(normalize(create)).isEqualTo(normalize(TableDdl.createTable(config.tables().get(0))));
        assertThat(normalize(sql)).contains(normalize(TableDdl.alterKeyRange("table1_id_seq", 3)
                .replace("\"public\".\"table1_id_seq\"", "public.table1_id_seq")));
        assertThat(sql).contains("MINVALUE " + MeshNames.firstKey(3) + " MAXVALUE " + MeshNames.lastKey(3));
        assertThat(sql).contains("CREATE PUBLICATION " + MeshNames.publication("node3", "table1"));
    }

    private static String normalize(String sql) {
        return sql.replace("\"", "").replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
    }
}
