package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.docker.NodeImage;
import io.pgmesh.orchestrator.lab.Lab;
import io.pgmesh.orchestrator.lab.LabSettings;
import io.pgmesh.orchestrator.runtime.Endpoint;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.Runtimes;
import io.pgmesh.orchestrator.suite.SuiteTable;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Section 9: several machines. A 3-host lab ({@code pgmesh lab}) brought up from nothing; {@code up} of 6 nodes on
 * its Swarm (first with the image copied, pushed and pulled by every host, then again with it in place) next to
 * {@code up} of 6 nodes on the local engine; replication latency across the lab's hosts next to one engine. All in
 * one run, one cluster at a time. The lab's hosts share this machine's cores: it measures pgmesh's Swarm machinery
 * (overlay, host-mode ports, Docker-in-Docker), not a real network.
 */
final class SwarmBench {

    static final String HEADING = "## 9. ";
    static final int NODES = 6;
    private static final int SAMPLES = 200;
    private static final int WARM_UP = 20;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(10);
    /** As section 3's samples. */
    private static final long SAMPLE_PAUSE_MILLIS = 20;

    /**
     * @param lab         the lab's bring-up from nothing
     * @param upLocal     {@code up} of {@link #NODES} nodes on the local engine (image present), seconds
     * @param upSwarm     the same on the lab's Swarm, the image copied to the manager, pushed and pulled on each host
     * @param upSwarmWarm the same again after {@code down --delete-data}, the image on every host
     * @param publish     of {@code upSwarm}: copying and pushing the image, seconds
     */
    record Run(Lab.UpResult lab, double upLocal, double upSwarm, double upSwarmWarm, double publish,
               LatencyProbe.Series local, LatencyProbe.Series swarm, Load load) {
    }

    private final Bench bench;
    private final BenchClusters clusters;
    private final DockerClient docker;
    private final Path workDir;
    private final Consumer<String> out;

    SwarmBench(Bench bench, BenchClusters clusters, DockerClient docker, Path workDir, Consumer<String> out) {
        this.bench = bench;
        this.clusters = clusters;
        this.docker = docker;
        this.workDir = workDir;
        this.out = out;
    }

    Run run(int localOctet, String localName, String swarmName, Path sourceConfig) {
        Lab lab = new Lab(docker, new LabSettings("pgmesh-bench-lab", workDir.resolve("lab"), "172.29.13.0/24"), out);
        ClusterContext local = clusters.context(localName, localOctet);
        clusters.down(local);
        lab.down();
        try {
            Load load = Load.now();
            clusters.image();
            long start = System.nanoTime();
            clusters.up(local, NODES);
            double upLocal = seconds(start);
            out.accept(String.format(Locale.ROOT, "[bench] swarm: up of %d nodes on the local engine: %.1f s", NODES,
                    upLocal));
            LatencyProbe.Series localLatency = latency(local);
            clusters.down(local);

            Lab.UpResult labUp = lab.up(3, sourceConfig);
            SysConfig config = SysConfigLoader.load(labUp.sysconfig());
            ClusterContext swarm = new ClusterContext(swarmName, config, Runtimes.open(config, docker, out),
                    clusters.home(), out);
            long publishStart = System.nanoTime();
            String image = swarm.runtime().publishImage(new NodeImage(docker, out).ensureBuilt());
            double publish = seconds(publishStart);
            start = System.nanoTime();
            new ClusterUp(swarm, () -> image).run(NODES);
            double upSwarm = seconds(start) + publish;
            out.accept(String.format(Locale.ROOT, "[bench] swarm: first up of %d nodes on 3 hosts: %.1f s (image %.1f s)",
                    NODES, upSwarm, publish));
            LatencyProbe.Series swarmLatency = latency(swarm);
            new ClusterDown(swarm).run(ClusterDown.Data.DELETE);
            start = System.nanoTime();
            new ClusterUp(swarm, () -> image).run(NODES);
            double upSwarmWarm = seconds(start);
            out.accept(String.format(Locale.ROOT, "[bench] swarm: up again, image on every host: %.1f s", upSwarmWarm));
            new ClusterDown(swarm).run(ClusterDown.Data.DELETE);
            return new Run(labUp, upLocal, upSwarm, upSwarmWarm, publish, localLatency, swarmLatency, load);
        } finally {
            clusters.down(local);
            lab.down();
        }
    }

    private LatencyProbe.Series latency(ClusterContext ctx) {
        List<Endpoint> nodes = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .map(ctx.runtime()::pgEndpoint).toList();
        SuiteTable table = bench.suiteTable();
        try (LatencyProbe probe = new LatencyProbe(nodes, ctx.config().database(), clusters.writer(ctx), table)) {
            probe.requireReplicating(Duration.ofSeconds(60));
            probe.samples(WARM_UP, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
            LatencyProbe.Series l = probe.samples(SAMPLES, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
            out.accept(String.format(Locale.ROOT, "[bench] swarm: latency on %s: p50 %.2f ms, p99 %.2f ms, %d timed out",
                    ctx.cluster(), Samples.percentile(l.millis(), 50), Samples.percentile(l.millis(), 99), l.timeouts()));
            return l;
        } catch (SQLException e) {
            throw new IllegalStateException("latency on " + ctx.cluster() + " failed: " + e.getMessage(), e);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Section 9 of docs/BENCHMARKS.md. */
    static String section(Run r, String measuredOn) {
        StringBuilder md = new StringBuilder(HEADING).append("several machines: a Swarm lab next to one engine\n\n");
        md.append(measuredOn).append("\n\n");
        md.append("`pgmesh lab` makes 3 Docker-in-Docker hosts on this machine, joined in a Swarm of managers with a"
                + " registry on h1. The hosts share this machine's 2 cores and talk over a bridge on it, so these"
                + " figures show what pgmesh's Swarm machinery costs (overlay network, host-mode ports, an engine in"
                + " a container, the image's trip through the registry), not a real network. One cluster runs at a"
                + " time.\n\n");
        Lab.UpResult lab = r.lab();
        md.append("| lab bring-up (3 hosts) | seconds |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| host image (present or built) | %.1f |%n", lab.image().toMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| 3 engines answering over TLS | %.1f |%n", lab.hostsAnswer().toMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| Swarm of 3 managers formed | %.1f |%n", lab.swarm().toMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| registry answering | %.1f |%n", lab.registryUp().toMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| **total** | **%.1f** |%n%n", lab.total().toMillis() / 1e3));
        md.append(String.format(Locale.ROOT, "| `up` of %d nodes | seconds | vs one engine |%n|---|---|---|%n", NODES));
        md.append(String.format(Locale.ROOT, "| one engine (image present) | %.1f | 1.00x |%n", r.upLocal()));
        md.append(String.format(Locale.ROOT, "| Swarm of 3 hosts, first (image copied to the manager and pushed: %.1f s;"
                + " each host pulls it) | %.1f | %.2fx |%n", r.publish(), r.upSwarm(), r.upSwarm() / r.upLocal()));
        md.append(String.format(Locale.ROOT, "| Swarm of 3 hosts, again (image on every host) | %.1f | %.2fx |%n%n",
                r.upSwarmWarm(), r.upSwarmWarm() / r.upLocal()));
        md.append(String.format(Locale.ROOT, "Replication latency, idle, %d nodes: a row inserted on one node until it"
                + " is visible on all others (%d samples each, origins in turn; load %s before the run).%n%n", NODES,
                SAMPLES, r.load().oneMinute()));
        md.append("| mesh | p50 ms | p99 ms | max ms | timed out |\n|---|---|---|---|---|\n");
        latencyRow(md, "one engine", r.local());
        latencyRow(md, "Swarm, 2 nodes per host on 3 hosts", r.swarm());
        md.append('\n');
        return md.toString();
    }

    private static void latencyRow(StringBuilder md, String what, LatencyProbe.Series l) {
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d |%n", what,
                Samples.percentile(l.millis(), 50), Samples.percentile(l.millis(), 99), Samples.max(l.millis()),
                l.timeouts()));
    }
}
