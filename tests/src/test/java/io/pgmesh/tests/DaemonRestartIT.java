package io.pgmesh.tests;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.docker.ContainerLogs;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.protocol.NodeStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, node faults: the daemon dies inside a running container (SIGKILL). The container's
 * supervisor restarts it, the new daemon adopts the PostgreSQL that kept running, and the
 * orchestrator's client of that node answers the next call on the same object (it reconnects within
 * its window). The container did not restart, PostgreSQL did not restart. Then the adopted
 * PostgreSQL crashes: the daemon watching it exits, and the restarted daemon starts a new one.
 * Replication goes on. A docker stop afterwards still stops the adopted PostgreSQL cleanly.
 */
class DaemonRestartIT {

    private static final String PG_DATA = "/var/lib/postgresql/17/main";
    private static final String PG_BIN = "/usr/lib/postgresql/17/bin";

    @Test
    void killedDaemonIsRestartedAndTheSameClientReconnects() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-itdr", 97, 2)) {
            NodeContainer node0 = cluster.nodes.get(0);
            NodeContainer node1 = cluster.nodes.get(1);
            // a reconnect window longer than the restart takes: the client rides the restart out
            try (NodeRpcClient client = NodeRpcClient.forLocalPort(node0.node(), node0.rpcPort(),
                    Duration.ofSeconds(30), cluster.ctx.rpcSecret(), cluster.ctx.pki().clientTls(), Duration.ofSeconds(60))) {
                NodeStatus before = client.api().status();
                assertThat(before.node()).isEqualTo("node0");
                assertThat(before.postgresUp()).isTrue();

                InspectContainerResponse.ContainerState stateBefore = state(node0);
                Integer restartsBefore = restartCount(node0);
                String postmasterBefore = postmasterPid(node0);
                List<String> daemons = daemonPids(node0);
                assertThat(daemons).as("java processes in " + node0.containerName()).hasSize(1);
                String oldDaemon = daemons.get(0);

                long killed = System.nanoTime();
                exec(node0, "root", "kill", "-KILL", oldDaemon);

                // no await: the very next call on the same client object reconnects within its window
                NodeStatus after = client.api().status();
                double backAfter = (System.nanoTime() - killed) / 1e9;
                System.out.printf("[DaemonRestartIT] daemon killed -> the next status call answered after %.2f s%n",
                        backAfter);

                assertThat(after.postgresUp()).isTrue();
                assertThat(after.node()).isEqualTo(before.node());
                assertThat(after.index()).isEqualTo(before.index());
                assertThat(after.cluster()).isEqualTo(before.cluster());
                assertThat(after.database()).isEqualTo(before.database());
                assertThat(daemonPids(node0)).as("a new daemon runs").hasSize(1).doesNotContain(oldDaemon);

                InspectContainerResponse.ContainerState stateAfter = state(node0);
                assertThat(stateAfter.getRunning()).isTrue();
                assertThat(stateAfter.getStartedAt()).as("container StartedAt").isEqualTo(stateBefore.getStartedAt());
                assertThat(restartCount(node0)).as("container restart count").isEqualTo(restartsBefore);
                assertThat(postmasterPid(node0)).as("the PostgreSQL that ran is adopted, not restarted")
                        .isEqualTo(postmasterBefore);
                assertThat(ContainerLogs.tail(TestClusters.docker(), node0.containerId(), 200))
                        .anyMatch(l -> l.contains("[supervisor] node daemon exited unexpectedly with status 137"))
                        .anyMatch(l -> l.contains("adopting the running PostgreSQL (postmaster pid " + postmasterBefore));

                // the adopted PostgreSQL crashes: the daemon watching it exits, is restarted, and starts a new one
                long crashed = System.nanoTime();
                exec(node0, "postgres", PG_BIN + "/pg_ctl", "stop", "-m", "immediate", "-D", PG_DATA);
                AtomicReference<String> newPostmaster = new AtomicReference<>();
                // until the daemon notices, a call can also meet the dying server or the daemon's exit
                await("node0 runs a new PostgreSQL").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .ignoreException(io.pgmesh.orchestrator.rpc.NodeRpcException.class)
                        .untilAsserted(() -> {
                            assertThat(client.api().status().postgresUp()).isTrue();
                            String pid = postmasterPid(node0);
                            assertThat(pid).isNotEqualTo(postmasterBefore);
                            newPostmaster.set(pid);
                        });
                System.out.printf("[DaemonRestartIT] adopted PostgreSQL crashed -> a new one answers after %.2f s%n",
                        (System.nanoTime() - crashed) / 1e9);
                assertThat(state(node0).getStartedAt()).as("the container did not restart")
                        .isEqualTo(stateBefore.getStartedAt());
                assertThat(ContainerLogs.tail(TestClusters.docker(), node0.containerId(), 300))
                        .anyMatch(l -> l.contains("the adopted PostgreSQL (postmaster pid " + postmasterBefore
                                + ") exited; the daemon exits too"))
                        .anyMatch(l -> l.contains("[supervisor] node daemon exited unexpectedly with status 3"));

                // once more a killed daemon, so that the docker stop below meets an adopted PostgreSQL
                exec(node0, "root", "kill", "-KILL", daemonPids(node0).get(0));
                assertThat(client.api().status().postgresUp()).isTrue();
                assertThat(postmasterPid(node0)).as("adopted again").isEqualTo(newPostmaster.get());
            }

            await("every node healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(new ClusterStatus(cluster.ctx).collect())
                            .allSatisfy(r -> assertThat(r.health()).as(r.container().node() + " " + r.detail())
                                    .isEqualTo(NodeReport.HEALTHY)));

            long id = TestClusters.insertAsWriter(cluster.ctx, node0, "after the daemon restart");
            TestClusters.awaitRowOn(cluster.ctx, List.of(node1), id, "after the daemon restart", Duration.ofSeconds(60));

            // docker stop still stops cleanly and quickly: the supervisor stops the adopted PostgreSQL
            long stopping = System.nanoTime();
            TestClusters.docker().stopContainerCmd(node0.containerId()).withTimeout(20).exec();
            double stopSeconds = (System.nanoTime() - stopping) / 1e9;
            System.out.printf("[DaemonRestartIT] docker stop of node0 took %.2f s%n", stopSeconds);
            assertThat(stopSeconds).isLessThan(15);
            assertThat(state(node0).getExitCodeLong()).isZero();
            assertThat(ContainerLogs.tail(TestClusters.docker(), node0.containerId(), 40))
                    .anyMatch(l -> l.contains("[supervisor] stopping PostgreSQL"))
                    .anyMatch(l -> l.contains("database system is shut down"))
                    .anyMatch(l -> l.contains("[supervisor] stopped"));
        }
    }

    private static InspectContainerResponse.ContainerState state(NodeContainer node) {
        return TestClusters.docker().inspectContainerCmd(node.containerId()).exec().getState();
    }

    private static Integer restartCount(NodeContainer node) {
        return TestClusters.docker().inspectContainerCmd(node.containerId()).exec().getRestartCount();
    }

    /** The postmaster's pid from postmaster.pid (its first line). */
    private static String postmasterPid(NodeContainer node) {
        return exec(node, "root", "head", "-n", "1", PG_DATA + "/postmaster.pid").strip();
    }

    /**
     * Pids of the daemon's JVM ({@code java ... -jar /opt/pgmesh/node-daemon.jar}), from /proc/PID/cmdline: the
     * image has no procps, and /proc/PID/exe of another user's process is unreadable without CAP_SYS_PTRACE.
     */
    private static List<String> daemonPids(NodeContainer node) {
        String out = exec(node, "root", "/bin/bash", "-c", "for d in /proc/[0-9]*; do"
                + " case \"$(tr '\\0' ' ' < \"$d/cmdline\" 2>/dev/null)\" in"
                + " 'java '*' -jar /opt/pgmesh/node-daemon.jar'*) echo \"${d#/proc/}\";; esac; done");
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Runs a command in the node's container as {@code user}; returns its output, fails on a non-zero exit. */
    private static String exec(NodeContainer node, String user, String... command) {
        TestClusters.Exec r = TestClusters.exec(node, user, command);
        assertThat(r.exit()).as("exit of '" + String.join(" ", command) + "' in " + node.node() + ": " + r.output())
                .isZero();
        return r.output();
    }
}
