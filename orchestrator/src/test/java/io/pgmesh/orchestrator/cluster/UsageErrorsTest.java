package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bad user input that the cluster use cases find themselves is a {@link UsageException} naming the argument, found
 * before Docker is touched (the contexts here have no Docker side: touching it would fail differently).
 */
class UsageErrorsTest {

    static final SysConfig SHIPPED = SysConfigLoader.load(Path.of("..", "sysconfig.json"), name -> null);

    @TempDir
    Path home;

    /** A context without Docker: no runtime. */
    static ClusterContext withoutDocker(Path home) {
        return new ClusterContext("c", SHIPPED, null, home, line -> { });
    }

    @Test
    void aClusterNameThatIsNotASqlNameIsAUsageErrorOnCluster() {
        UsageException e = catchThrowableOfType(UsageException.class,
                () -> new ClusterContext("Bad Name!", SHIPPED, null, home, line -> { }));
        assertThat(e.argument()).isEqualTo("--cluster");
        assertThat(e.getMessage()).startsWith("--cluster: ").isEqualTo("--cluster: " + e.problem());
    }

    @Test
    void aNodeCountOutsideTheConfiguredRangeIsAUsageErrorOnNodes() {
        for (int count : new int[]{0, -1, SHIPPED.maxNodes() + 1}) {
            UsageException e = catchThrowableOfType(UsageException.class,
                    () -> new ClusterUp(withoutDocker(home), () -> "image").run(count));
            assertThat(e.argument()).as("%d", count).isEqualTo("--nodes");
            assertThat(e.getMessage()).isEqualTo("--nodes: " + count + " is out of range 1.." + SHIPPED.maxNodes()
                    + " (system.networks[].config.scale.max_nodes)");
        }
    }

    @Test
    void aUsageErrorIsStillAnIllegalArgumentForLibraryCallers() {
        assertThat(new UsageException("NODE", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NODE: x");
    }
}
