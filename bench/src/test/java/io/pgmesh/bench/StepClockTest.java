package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StepClockTest {

    private static final long S = 1_000_000_000L;

    private static StepClock.Line at(double seconds, String text) {
        return new StepClock.Line((long) (seconds * S), text);
    }

    @Test
    void splitsUpIntoPhasesByTheTimeBeforeEachLoggedStep() {
        List<StepClock.Line> lines = List.of(
                at(0.2, "[image] using pgmesh-node:abc (present)"),
                at(0.3, "[node0] starting container pgmesh-node0 at 172.28.5.10"),
                at(1.3, "[node0] daemon ready on 127.0.0.1:4711, PostgreSQL 17.6 (Debian 17.6-1) (0.8 s)"),
                at(1.4, "[node0] updateNetworkTopology (1 hosts)"),
                at(1.45, "[node0]   stored topology"),
                at(1.7, "[node0] initDatabase lb-test"),
                at(1.71, "[node0]   CREATE role admin"),
                at(2.0, "[node0] createReplicaTable table1"),
                at(2.1, "[node1] starting container pgmesh-node1 at 172.28.5.11"),
                at(3.1, "[node1] daemon ready on 127.0.0.1:4712, PostgreSQL 17.6 (Debian 17.6-1) (0.7 s)"),
                at(3.5, "[node0] subscribing to node1"),
                at(3.6, "[up] cluster pgmesh is up: 2 nodes on pgmesh_pgmesh-net"));
        Map<String, Double> phases = StepClock.upPhases(lines, 0, (long) (3.7 * S));
        assertThat(phases.get(StepClock.PREPARE)).isCloseTo(0.2, within(1e-9));
        assertThat(phases.get(StepClock.CONTAINER)).isCloseTo(0.1 + 1.0 + 0.1 + 1.0, within(1e-9));
        assertThat(phases.get(StepClock.TOPOLOGY)).isCloseTo(0.15, within(1e-9));
        assertThat(phases.get(StepClock.INIT_DATABASE)).isCloseTo(0.26, within(1e-9));
        assertThat(phases.get(StepClock.CREATE_TABLE)).isCloseTo(0.29, within(1e-9));
        assertThat(phases.get(StepClock.SUBSCRIBE)).isCloseTo(0.4, within(1e-9));
        assertThat(phases.get(StepClock.OTHER)).isCloseTo(0.2, within(1e-9));
        assertThat(phases.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(3.7, within(1e-9));
        assertThat(StepClock.daemonReadySeconds(lines)).containsExactly(0.8, 0.7);
        assertThat(StepClock.postgresVersion(lines)).isEqualTo("17.6 (Debian 17.6-1)");
    }

    @Test
    void copyTimeOfAddNode() {
        assertThat(StepClock.copySeconds(List.of(at(1, "[node3] copy from node0 done in 10.8 s")))).isEqualTo(10.8);
        assertThat(StepClock.copySeconds(List.of())).isNaN();
    }
}
