package io.pgmesh.orchestrator.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    /** A clock the test moves: each line the operation logs is 0.5 s after the previous one. */
    private long now;
    private final List<String> lines = new ArrayList<>();

    @Test
    void upAnnouncesImageNetworkAndEachNodeOnceWithElapsedTimeThenSummarises() {
        Progress p = new Progress("up", 4, Progress::upStep, () -> now, lines::add);
        for (String line : List.of("[image] using pgmesh-node:abc (present)", "[network] creating n",
                "[node0] starting container", "[node0] daemon ready", "[node1] starting container",
                "[node0] subscribing to node1", "[node1] createReplicaTable table1", "[up] cluster c is up: 2 nodes")) {
            p.accept(line);
            now += 500_000_000L;
        }
        p.done();
        assertThat(lines).containsExactly(
                "[up] step 1/4: image (elapsed 0.0 s)", "[image] using pgmesh-node:abc (present)",
                "[up] step 2/4: network (elapsed 0.5 s)", "[network] creating n",
                "[up] step 3/4: node0 (elapsed 1.0 s)", "[node0] starting container", "[node0] daemon ready",
                "[up] step 4/4: node1 (elapsed 2.0 s)", "[node1] starting container",
                "[node0] subscribing to node1", "[node1] createReplicaTable table1", "[up] cluster c is up: 2 nodes",
                "[up] done in 4.0 s: image 0.5 s, network 0.5 s, node0 1.0 s, node1 2.0 s");
    }

    @Test
    void imageBuildStepsGetTheElapsedTime() {
        Progress p = new Progress("up", 3, Progress::upStep, () -> now, lines::add);
        now = 12_340_000_000L;
        p.accept("[image]   Step 3/9 : RUN apt-get install -y postgresql-17");
        p.accept("[image]   ---> Running in 1234");
        assertThat(lines).containsExactly("[up] step 1/3: image (elapsed 12.3 s)",
                "[image]   Step 3/9 : RUN apt-get install -y postgresql-17 (elapsed 12.3 s)",
                "[image]   ---> Running in 1234");
    }

    @Test
    void explicitStepsAndMoreStepsThanPlannedStillCount() {
        Progress p = new Progress("add-node", 1, line -> null, () -> now, lines::add);
        p.begin("join");
        now += 2_000_000_000L;
        p.begin("join");
        p.begin("repair");
        now += 1_000_000_000L;
        p.done();
        assertThat(lines).containsExactly("[add-node] step 1/1: join (elapsed 0.0 s)",
                "[add-node] step 2/2: repair (elapsed 2.0 s)", "[add-node] done in 3.0 s: join 2.0 s, repair 1.0 s");
    }

    @Test
    void suitesAreStepsByTheirOwnFirstLine() {
        assertThat(Progress.suiteStep("[test insert] running on 3 nodes (scale 1)")).isEqualTo("insert");
        assertThat(Progress.suiteStep("[test insert] 800 operations in 1.2 s")).isNull();
        assertThat(Progress.restoreStep("[network] creating pgmesh_pgmesh-net (172.28.5.0/24, gateway 172.28.5.1)"))
                .isEqualTo("node0");
        assertThat(Progress.restoreStep("[node0] receiving the dump (11.3 MiB)")).isEqualTo("load");
        assertThat(Progress.restoreStep("[node2] joining cluster pgmesh with 2 nodes")).isEqualTo("node2");
        assertThat(Progress.restoreStep("[node1] checksums match the backup: table1 1,600 rows")).isEqualTo("checksums");
        assertThat(Progress.restoreStep("[node1]   created role admin")).isNull();
        assertThat(Progress.upStep("[node12] daemon ready")).isEqualTo("node12");
        assertThat(Progress.upStep("[check] waiting")).isNull();
    }
}
