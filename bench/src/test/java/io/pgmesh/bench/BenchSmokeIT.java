package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench in small (2 nodes, few samples, 1,000 rows for add-node) against real containers, so that it cannot
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

        String md = Files.readString(env.report());
        assertThat(md).contains("## Summary", "## 6. add-node against existing rows", "![bring-up](bench/bringup.png)");
        for (String png : new String[]{Plots.BRING_UP, Plots.LATENCY, Plots.THROUGHPUT, Plots.CONTROL_PLANE,
                Plots.ADD_NODE}) {
            assertThat(env.plotDir().resolve(png)).isRegularFile();
            assertThat(Files.size(env.plotDir().resolve(png))).isGreaterThan(1000);
        }
    }
}
