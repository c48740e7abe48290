package io.pgmesh.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** system.config.pool: the load-balanced pool's named groups. */
class PoolConfigTest {

    private static final String SHIPPED = read();
    private static final String GROUPS = "system.config.pool.groups";

    private static String read() {
        try {
            return Files.readString(Path.of("..", "sysconfig.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shipped config with its pool section replaced by {@code pool} (or removed when null). */
    private static String withPool(String pool) {
        int start = SHIPPED.indexOf("\"pool\"");
        int end = SHIPPED.indexOf("\"database\"");
        return SHIPPED.substring(0, start) + (pool == null ? "" : "\"pool\": " + pool + ",\n      ")
                + SHIPPED.substring(end);
    }

    private static List<String> problems(String json) {
        return catchThrowableOfType(ConfigException.class, () -> SysConfigLoader.parse(json, "test.json")).problems();
    }

    @Test
    void shippedGroupsAreTheOriginals() throws Exception {
        SysConfig config = SysConfigLoader.parse(SHIPPED, "sysconfig.json");
        assertThat(config.poolGroups()).containsExactly(
                new PoolGroupConfig("writer1", true, 20, true),
                new PoolGroupConfig("writer2", true, 10, true),
                new PoolGroupConfig("reader1", false, 24, true),
                new PoolGroupConfig("reader2", false, 48, true));
        assertThat(config.poolGroup("reader2")).map(PoolGroupConfig::connections).contains(48);
        assertThat(config.poolGroup("nope")).isEmpty();
    }

    @Test
    void absentPoolGivesTheDefaults() throws Exception {
        SysConfig config = SysConfigLoader.parse(withPool(null), "test.json");
        assertThat(config.poolGroups()).isEqualTo(PoolReader.DEFAULT_GROUPS);
    }

    @Test
    void autocommitDefaultsToTrue() throws Exception {
        SysConfig config = SysConfigLoader.parse(withPool(
                "{\"groups\": [{\"id\": \"w\", \"role\": \"writer\", \"connections\": 2}]}"), "test.json");
        assertThat(config.poolGroups()).containsExactly(new PoolGroupConfig("w", true, 2, true));
    }

    @Test
    void everyBadFieldIsNamedByItsPath() {
        List<String> problems = problems(withPool("{\"groups\": ["
                + "{\"id\": \"writer1\", \"role\": \"admin\", \"connections\": 0, \"autocommit\": \"yes\"},"
                + "{\"id\": \"writer1\", \"role\": \"reader\", \"connections\": 5},"
                + "{\"id\": \"1bad name\", \"role\": \"reader\", \"connections\": 5000, \"size\": 3}"
                + "]}"));
        assertThat(problems).contains(
                GROUPS + "[0].role: 'admin' must be 'writer' or 'reader'",
                GROUPS + "[0].connections: 0 is out of range (1..1000)",
                GROUPS + "[0].autocommit: must be true or false",
                GROUPS + "[1].id: duplicate group 'writer1' (also " + GROUPS + "[0])",
                GROUPS + "[2].connections: 5000 is out of range (1..1000)");
        assertThat(problems).anyMatch(p -> p.startsWith(GROUPS + "[2].id: '1bad name' is not a valid group id"));
        assertThat(problems).anyMatch(p -> p.startsWith(GROUPS + "[2].size"));
    }

    @Test
    void emptyGroupListIsAnError() {
        assertThat(problems(withPool("{\"groups\": []}"))).contains(GROUPS + ": must list at least one group");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThat(problems(withPool("{\"groups\": [{\"id\": \"w\"}]}")))
                .anyMatch(p -> p.startsWith(GROUPS + "[0].role"))
                .anyMatch(p -> p.startsWith(GROUPS + "[0].connections"));
    }
}
