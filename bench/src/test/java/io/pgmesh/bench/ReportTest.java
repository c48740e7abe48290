package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report and plots render from results alone (no Docker). */
class ReportTest {

    static Results sample() {
        Load load = new Load(2.5, 2.0, 1.5);
        List<Results.BringUpRun> runs = List.of(
                new Results.BringUpRun(Results.BASELINE, 2, 1, 3.0, load),
                new Results.BringUpRun(Results.PGMESH_CLI, 2, 1, 4.5, load),
                new Results.BringUpRun(Results.PGMESH_IN_PROCESS, 2, 1, 3.6, load),
                new Results.BringUpRun(Results.BASELINE, 8, 1, 8.0, load),
                new Results.BringUpRun(Results.PGMESH_CLI, 8, 1, 12.0, load),
                new Results.BringUpRun(Results.PGMESH_IN_PROCESS, 8, 1, 11.0, load));
        Results.BringUp bringUp = new Results.BringUp(runs,
                Map.of(8, Map.of(StepClock.CONTAINER, 7.0, StepClock.SUBSCRIBE, 2.0)),
                Map.of(8, Map.of("subscriptions", 3.0)), List.of(0.7, 0.8));
        List<Results.LatencySeries> latency = List.of(
                new Results.LatencySeries(8, false, List.of(3.0, 4.0, 50.0), 0, 0, 0, load),
                new Results.LatencySeries(8, true, List.of(13.0, 14.0, 150.0), 1, 4000, 5.0, load));
        List<Results.ThroughputRound> throughput = List.of(
                new Results.ThroughputRound(Bench.PLAIN, 1, 1, 1000, 0, 1.0, 0, 0.3, 0.4, Map.of(ProcessCpu.CLIENTS, 0.3), load),
                new Results.ThroughputRound(Bench.SINGLE, 1, 1, 900, 0, 1.0, 0, 0.3, 0.4, Map.of(ProcessCpu.CLIENTS, 0.3), load),
                new Results.ThroughputRound("pgmesh mesh, 3 nodes", 1, 1, 700, 0, 1.0, 0.4, 0.9, 0.3, Map.of(ProcessCpu.CLIENTS, 0.3, ProcessCpu.APPLY, 0.4), load));
        List<Results.ControlPlane> cp = List.of(
                new Results.ControlPlane("on the fresh mesh", 2, "node0", List.of(2.0, 3.0), List.of(0.2, 0.3), 1.6, 7.0,
                        0.8, 0.15, load),
                new Results.ControlPlane("after the throughput rounds", 150_000, "node0", List.of(20.0, 30.0),
                        List.of(0.2, 0.3), 1.6, 27.0, 20.8, 20.15, load));
        List<Results.AddNodeRun> addNode = List.of(new Results.AddNodeRun(10_000, 3, 3.0, 0.5, 0.3, 10_000, load));
        List<Results.OpsRun> underLoad = new java.util.ArrayList<>();
        double[][] seconds = {{2.0, 2.6, 3.4}, {3.0, 4.0, 4.2}, {5.0, 6.0, 9.0}}; // operation x condition
        for (int o = 0; o < 3; o++) {
            for (int c = 0; c < 3; c++) {
                boolean idle = c == 0;
                underLoad.add(new Results.OpsRun(100_000, 3, Results.CONDITIONS.get(c), Results.OPERATIONS.get(o), 1,
                        seconds[o][c], true, idle ? 0 : 7, o == 0 ? 0 : 2, o == 0 ? 0 : 4, idle ? 0 : 3000, 0, load,
                        false, null));
            }
        }
        // 1M rows: add-node beside the update writer failed; beside the insert writer its writer ran out
        for (int c = 0; c < 3; c++) {
            underLoad.add(new Results.OpsRun(1_000_000, 3, Results.CONDITIONS.get(c), Results.CHECK, 1, 10.0 + c, true,
                    0, 0, 0, c == 0 ? 0 : 100, 0, load, false, null));
        }
        underLoad.add(new Results.OpsRun(1_000_000, 3, Results.IDLE, Results.ADD_NODE, 1, 50.0, true, 0, 3, 3, 0, 0,
                load, false, null));
        underLoad.add(new Results.OpsRun(1_000_000, 3, Results.INSERT_WRITER, Results.ADD_NODE, 1, 490.0, true, 0, 3,
                3, 9000, 0, load, true, null));
        underLoad.add(new Results.OpsRun(1_000_000, 3, Results.UPDATE_WRITER, Results.ADD_NODE, 1, 700.5, false, 0, 0,
                0, 9000, 0, load, true, "replication did not drain within\n900 s"));
        List<Results.Injection> injections = List.of(new Results.Injection(100_000, 3, "node2", 11, 2.5, List.of(11L),
                5, 3.5, 1, 2, true, 4000, load));
        return new Results("test", new Results.Machine("cpu", 2, 24_000, "Debian", "6.1", "20.10", "java 17", "17.6"),
                Instant.parse("2026-01-02T03:04:05Z"), Duration.ofSeconds(100), load, load, bringUp,
                new Results.Floor(List.of(0.5, 0.6), load), latency, Duration.ofSeconds(15), throughput, cp, addNode, underLoad, injections);
    }

    @Test
    void rendersEveryItemAndTheTargets() {
        String md = Report.render(sample(), "bench/", Map.of(), "bench/run", Report.KEEP_MARKER + "\n## Kept\n\nold\n");
        assertThat(md).startsWith("# Benchmarks");
        assertThat(md).contains("## Machine", "## Summary", "## 1. Bring-up", "## 2. The floor",
                "## 3. Replication latency", "## 4. Write throughput", "## 5. Control plane",
                "## 6. add-node against existing rows", "![bring-up](bench/bringup.png)");
        assertThat(md).contains("| 1 | bring-up, 8 nodes, pgmesh up (CLI) vs baseline script (median) | 12.00 s | 8.00 s"
                + " | 1.50x | <= 1.00x at 8 nodes | **no** |");
        assertThat(md).contains("p99 < 100.0 ms | **yes** |");
        assertThat(md).contains("| 0.70x | >= 0.80x | **no** |");
        assertThat(md).contains("| 5 | status RPC round trip p50 / p99, on the fresh mesh (2 rows) | 2.000 ms / 3.000 ms"
                + " | - | - | p50 < 1.000 ms | **no** |");
        assertThat(md).contains("| after the throughput rounds | 150,000 | status | 20.000 ms |");
        assertThat(md).contains("## 7. check, repair and add-node under load", "### 100,000 rows, 3 nodes",
                "![check, repair and add-node under load](bench/underload.png)");
        assertThat(md).contains("| 7 | check beside an insert writer vs idle, 100,000 rows, 3 nodes (median) | 2.60 s"
                + " | 2.00 s | 1.30x | <= 1.50x | **yes** |");
        assertThat(md).contains("| 7 | check beside an update writer vs idle, 100,000 rows, 3 nodes (median) | 3.40 s"
                + " | 2.00 s | 1.70x | <= 1.50x | **no** |");
        assertThat(md).contains("| 7 | add-node beside an update writer vs idle, 100,000 rows, 3 nodes (median) | 9.00 s"
                + " | 5.00 s | 1.80x | <= 1.50x | **no** |");
        assertThat(md).contains("| repair | beside an insert writer | 4.00 s | 4.00 s | 1.33x | <= 1.50x | **yes** | yes"
                + " | 7 | 2 / 4 | 3,000 (750/s) | 2.50 |");
        assertThat(md).contains("| 100,000 | node2 | id 11 | 2.50 s | ids [11] | 5 | 3.50 s | 1 / 2 | yes | 4,000"
                + " | found exactly that row and repaired |");
        assertThat(md).contains("| 7 | a row changed behind replication's back beside the update writer, 100,000 rows:"
                + " found by check, repaired | found ids [11]; repair applied 2 versions | - | - | found exactly that row,"
                + " repaired | **yes** |");
        assertThat(md).endsWith(Report.KEEP_MARKER + "\n## Kept\n\nold\n");
    }

    @Test
    void aFailedOrUnloadedMeasurementIsShownAsSuch() {
        String md = Report.render(sample(), "bench/", Map.of(), "bench/run", Report.KEEP_MARKER + "\n");
        assertThat(md).contains("| 7 | add-node beside an update writer vs idle, 1,000,000 rows, 3 nodes (median) |"
                + " failed (see section 7) | 50.00 s |");
        assertThat(md).contains("| add-node | beside an update writer | - | **failed** after 700.50 s | - |");
        assertThat(md).contains("- **add-node beside an update writer failed** after 700.50 s (rep 1): replication did"
                + " not drain within 900 s\n");
        assertThat(md).contains("| add-node | beside an insert writer | 490.00 s | 490.00 s (writer ran out) | 9.80x |");
        assertThat(md).contains("- (writer ran out): the writer reached its own bound");
    }

    @Test
    void keepsTheHandWrittenTail(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path existing = dir.resolve("B.md");
        Files.writeString(existing, "# old generated\n\n" + Report.KEEP_MARKER + "\n## Hand-measured\n\nx\n");
        assertThat(Report.keptTail(existing)).isEqualTo(Report.KEEP_MARKER + "\n## Hand-measured\n\nx\n");
        assertThat(Report.keptTail(dir.resolve("missing.md"))).isEqualTo(Report.KEEP_MARKER + "\n");
    }

    @Test
    void plotsArePngFiles() throws Exception {
        Path dir = Path.of("target", "report-test-plots");
        Map<String, Path> files = Plots.write(sample(), dir);
        assertThat(files).containsOnlyKeys(Plots.BRING_UP, Plots.LATENCY, Plots.THROUGHPUT, Plots.CONTROL_PLANE,
                Plots.ADD_NODE, Plots.UNDER_LOAD);
        for (Path f : files.values()) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 4);
            assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void aRunOfSection7AloneReplacesOnlySection7() {
        String existing = "# Benchmarks\n\n## 6. add-node\n\nsix\n\n## 7. check, repair and add-node under load\n\nold"
                + " seven\n\n## Targets missed, and where the time goes\n\nmissed\n\n" + Report.KEEP_MARKER + "\nkept\n";
        String md = Report.withUnderLoadSection(existing, sample(), "bench/", "bench/run");
        assertThat(md).startsWith("# Benchmarks\n\n## 6. add-node\n\nsix\n\n## 7. check, repair and add-node under load")
                .doesNotContain("old seven").contains("Measured on its own by `bench/run --only-under-load` on ")
                .contains("### 100,000 rows, 3 nodes")
                .endsWith("## Targets missed, and where the time goes\n\nmissed\n\n" + Report.KEEP_MARKER + "\nkept\n");
        assertThat(md.indexOf("## 7. ")).isEqualTo(md.lastIndexOf("## 7. "));

        String eightBeforeTargets = "# Benchmarks\n\n## 6. add-node\n\nsix\n\n## 8. backup\n\neight\n\n## Targets missed\n";
        String ordered = Report.withUnderLoadSection(eightBeforeTargets, sample(), "bench/", "bench/run");
        assertThat(ordered.indexOf("## 7. ")).as("7 goes before 8").isGreaterThan(ordered.indexOf("six"))
                .isLessThan(ordered.indexOf("## 8. backup"));
        assertThat(Report.withSection(ordered, "## 8. ", "## 8. backup\n\nnew eight\n")).contains("new eight")
                .doesNotContain("\neight\n");

        String withoutSeven = "# Benchmarks\n\n## 6. add-node\n\nsix\n\n## Targets missed\n\nmissed\n";
        String inserted = Report.withUnderLoadSection(withoutSeven, sample(), "bench/", "bench/run");
        assertThat(inserted.indexOf("## 7. ")).isGreaterThan(inserted.indexOf("six"))
                .isLessThan(inserted.indexOf("## Targets missed"));
    }
}
