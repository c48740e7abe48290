package io.pgmesh.bench;

import io.pgmesh.orchestrator.lab.Lab;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SwarmSectionTest {

    @Test
    void theSectionShowsBringUpUpRatiosAndLatencyOfBothMeshes() {
        Lab.UpResult lab = new Lab.UpResult(List.of(), "tcp://172.29.13.11:2376", "172.29.13.11:5000", Path.of("x"),
                1450, Duration.ofMillis(100), Duration.ofMillis(3400), Duration.ofMillis(2300), Duration.ofMillis(200),
                Duration.ofMillis(6700));
        SwarmBench.Run run = new SwarmBench.Run(lab, 20.0, 130.0, 30.0, 64.0,
                new LatencyProbe.Series(List.of(1.0, 2.0, 3.0), 0), new LatencyProbe.Series(List.of(2.0, 4.0, 8.0), 1),
                new Load(1.5, 1.0, 0.5));
        String md = SwarmBench.section(run, "Measured then.");
        assertThat(md).startsWith("## 9. several machines").contains("Measured then.")
                .contains("| **total** | **6.7** |")
                .contains("| one engine (image present) | 20.0 | 1.00x |")
                .contains("image copied to the manager and pushed: 64.0 s; each host pulls it) | 130.0 | 6.50x |")
                .contains("| Swarm of 3 hosts, again (image on every host) | 30.0 | 1.50x |")
                .contains("| one engine | 2.00 | 3.00 | 3.00 | 0 |")
                .contains("| Swarm, 2 nodes per host on 3 hosts | 4.00 | 8.00 | 8.00 | 1 |");
        assertThat(Report.withSection("# B\n\n## 8. backup\n\nx\n\n## Targets missed\n\ny\n", SwarmBench.HEADING, md))
                .as("after section 8, before the hand-written part")
                .contains("x\n\n## 9. several machines").contains("\n## Targets missed\n\ny\n");
    }
}
