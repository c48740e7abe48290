package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {

    @Test
    void classifiesByProcessTitle() {
        assertThat(ProcessCpu.kind("postgres: 17/main: testwriter lb-test 172.28.166.1(58334) idle ")).isEqualTo(ProcessCpu.CLIENTS);
        assertThat(ProcessCpu.kind("postgres: testreader lb-test 172.28.166.1(58334) SELECT")).isEqualTo(ProcessCpu.CLIENTS);
        assertThat(ProcessCpu.kind("postgres: 17/main: walsender replicator 172.28.162.11(40000) START_REPLICATION"))
                .isEqualTo(ProcessCpu.WALSENDERS);
        assertThat(ProcessCpu.kind("postgres: 17/main: logical replication apply worker for subscription 16400 "))
                .isEqualTo(ProcessCpu.APPLY);
        assertThat(ProcessCpu.kind("postgres: 17/main: postgres lb-test [local] idle")).isEqualTo(ProcessCpu.DAEMON);
        assertThat(ProcessCpu.kind("java -XX:+UseSerialGC -jar /opt/pgmesh/node-daemon.jar")).isEqualTo(ProcessCpu.DAEMON);
        assertThat(ProcessCpu.kind("postgres: 17/main: walwriter ")).isEqualTo(ProcessCpu.OTHER);
        assertThat(ProcessCpu.kind("postgres: 17/main: logical replication launcher ")).isEqualTo(ProcessCpu.OTHER);
        assertThat(ProcessCpu.kind("/bin/bash /opt/pgmesh/pgmesh-entrypoint.sh")).isEqualTo(ProcessCpu.OTHER);
    }

    @Test
    void differenceOfSnapshotsPerKind() {
        ProcessCpu.Snapshot before = new ProcessCpu.Snapshot(Map.of("10", 1.0, "11", 2.0),
                Map.of("10", ProcessCpu.CLIENTS, "11", ProcessCpu.APPLY));
        ProcessCpu.Snapshot after = new ProcessCpu.Snapshot(Map.of("10", 1.5, "11", 2.25, "12", 0.5),
                Map.of("10", ProcessCpu.CLIENTS, "11", ProcessCpu.APPLY, "12", ProcessCpu.OTHER));
        Map<String, Double> d = ProcessCpu.between(before, after);
        assertThat(d).containsEntry(ProcessCpu.CLIENTS, 0.5).containsEntry(ProcessCpu.APPLY, 0.25)
                .containsEntry(ProcessCpu.OTHER, 0.5).containsEntry(ProcessCpu.WALSENDERS, 0.0);
    }
}
