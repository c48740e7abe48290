package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench in small (2 nodes, few samples, 1,000 rows for add-node, 2,000 for check/repair/add-node under load) against real containers, so that it cannot
 * rot: every figure must be there and sane, the report must render, the plots must be written. No timing targets
 * are asserted here; the full run (bench/run) is where they are measured.
 */
class BenchSmokeIT {

    @Test
    void smokeRunProducesEveryFigureTheReportAndThePlots() throws Exception {
        Path out = Path.of("target", "bench-smoke").toAbsolutePath();
        Optional<Path> cliJar = Optional.ofNullable(System.getProperty("pgmesh.bench.cliJar")).map(Path::of)
                .filter(Files::isRegularFile);
        BenchEnv env = new BenchEnv(Path.of("..").toAbsolutePath().normalize(), cliJar, out.resolve("work"),
                out.resolve("BENCHMARKS.md"), out.resolve("bench"));
        Results r = BenchMain.run(BenchPlan.smoke(), env, line -> System.out.println(line));

        Results.BringUp b = r.bringUp();
        assertThat(b.runs()).hasSize(cliJar.isPresent() ? 4 : 3).allSatisfy(run -> assertThat(run.seconds()).isPositive());
        assertThat(b.pgmeshPhases().get(2).values().stream().mapToDouble(Double::doubleValue).sum()).isPositive();
        assertThat(b.baselinePhases().get(2)).containsKeys("accepting-connections", "subscriptions");
        assertThat(b.daemonReady()).isNotEmpty().allSatisfy(s -> assertThat(s).isPositive());
        assertThat(r.floor().seconds()).hasSize(2).allSatisfy(s -> assertThat(s).isPositive());
        assertThat(r.latency()).hasSize(2).allSatisfy(l -> {
            assertThat(l.millis()).isNotEmpty().allSatisfy(ms -> assertThat(ms).isPositive());
            assertThat(l.timeouts()).isZero();
        });
        assertThat(r.latency().get(1).loadInserts()).isPositive();
        assertThat(r.throughput()).hasSize(3).allSatisfy(t -> {
            assertThat(t.inserts()).isPositive();
            assertThat(t.errors()).isZero();
            assertThat(t.containerCpuSeconds()).isPositive();
            assertThat(t.clientCpuSeconds()).isPositive();
        });
        assertThat(r.throughput().stream().filter(t -> t.target().startsWith("pgmesh mesh")).findFirst().orElseThrow()
                .cpuByKind()).allSatisfy((kind, seconds) -> assertThat(seconds).isNotNegative())
                .hasEntrySatisfying(ProcessCpu.CLIENTS, s -> assertThat(s).isPositive())
                .hasEntrySatisfying(ProcessCpu.APPLY, s -> assertThat(s).isPositive())
                .hasEntrySatisfying(ProcessCpu.WALSENDERS, s -> assertThat(s).isPositive());
        assertThat(r.controlPlane()).hasSize(2).allSatisfy(cp -> {
            assertThat(cp.statusMillis()).hasSize(50).allSatisfy(ms -> assertThat(ms).isPositive());
            assertThat(cp.transportMillis()).hasSize(50);
            assertThat(cp.pgConnectMillis()).isPositive();
            assertThat(cp.statusSqlFreshMillis()).isPositive();
            assertThat(cp.statusSqlWarmMillis()).isPositive();
            assertThat(cp.statusSqlPreparedMillis()).isPositive();
        });
        assertThat(r.controlPlane().get(1).rows()).isGreaterThan(r.controlPlane().get(0).rows());
        assertThat(r.addNode()).singleElement().satisfies(a -> {
            assertThat(a.rowsOnNewNode()).isEqualTo(1_000);
            assertThat(a.joinSeconds()).isPositive();
            assertThat(a.copySeconds()).isNotNaN().isNotNegative(); // logged to 0.1 s: 0.0 for 1,000 rows
        });
        // 7: every operation in every condition once, on 2 nodes with 2,000 rows
        assertThat(r.underLoad()).hasSize(9).allSatisfy(o -> {
            assertThat(o.rows()).isEqualTo(2_000);
            assertThat(o.nodes()).isEqualTo(2);
            assertThat(o.seconds()).isPositive();
            assertThat(o.identical()).as(o.operation() + " " + o.condition()).isTrue();
            assertThat(o.writerErrors()).isZero();
            assertThat(o.inFlight()).isNotNegative();
            if (o.condition().equals(Results.IDLE)) {
                assertThat(o.writerOps()).isZero();
                assertThat(o.inFlight()).isZero();
            } else {
                assertThat(o.writerOps()).as("the writer ran during " + o.operation() + " " + o.condition()).isPositive();
            }
        });
        for (String op : Results.OPERATIONS) {
            for (String condition : Results.CONDITIONS) {
                assertThat(r.underLoad(2_000, condition, op)).as(op + " " + condition).hasSize(1);
            }
        }
        assertThat(r.injections()).singleElement().satisfies(inj -> {
            assertThat(inj.node()).isEqualTo("node1");
            assertThat(inj.found()).as("the check finds exactly the row changed behind replication's back")
                    .containsExactly(inj.id());
            assertThat(inj.rowsExamined()).isEqualTo(1);
            assertThat(inj.rowsRepaired()).as("the newer version applied on node0").isEqualTo(1);
            assertThat(inj.identicalAfter()).isTrue();
            assertThat(inj.checkSeconds()).isPositive();
            assertThat(inj.repairSeconds()).isPositive();
            assertThat(inj.writerOps()).isPositive();
            assertThat(inj.repaired()).isTrue();
        });

        String md = Files.readString(env.report());
        assertThat(md).contains("## Summary", "## 6. add-node against existing rows", "![bring-up](bench/bringup.png)",
                "## 7. check, repair and add-node under load", "### 2,000 rows, 2 nodes",
                "### A failure injected under load", "found exactly that row and repaired",
                "![check, repair and add-node under load](bench/underload.png)",
                "| 7 | check beside an update writer vs idle, 2,000 rows, 2 nodes (median) |",
                "## 8. backup and restore next to pg_dump and pg_restore", "### 2,000 rows, 3 nodes",
                "| backup, end to end (file ", "| restore into 3 nodes, end to end |",
                "Every restored node's checksums equal the backup's: yes.");
        for (String png : new String[]{Plots.BRING_UP, Plots.LATENCY, Plots.THROUGHPUT, Plots.CONTROL_PLANE,
                Plots.ADD_NODE, Plots.UNDER_LOAD}) {
            assertThat(env.plotDir().resolve(png)).isRegularFile();
            assertThat(Files.size(env.plotDir().resolve(png))).isGreaterThan(1000);
        }
    }
}
