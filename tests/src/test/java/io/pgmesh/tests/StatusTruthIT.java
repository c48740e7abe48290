package io.pgmesh.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.cluster.NodeRestart;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14: {@code pgmesh status} must not call a subscription streaming while its apply worker cannot reach its
 * publisher. A 3-node cluster, idle, stays healthy on every poll (no false alarm from an idle stream); then node2 is
 * killed ({@code docker kill}): within seconds node0 and node1 report their subscriptions to node2 as not streaming
 * and themselves as degraded, and keep doing so on EVERY poll for 15 s (while their workers time out, restart and try
 * to connect to an address nobody answers); {@code start-node} brings node2 back and every node is healthy again.
 * And a peer frozen with {@code docker pause} (connections stay open, nothing answers) reads stalled, never streaming.
 */
class StatusTruthIT {

    private static final String CLUSTER = "pgmesh-itst";
    private static final int SUBNET_OCTET = 86;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    /** Longer than an idle stream's keepalive round (wal_receiver_timeout / 2 = 5 s) twice over. */
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(12);
    /** The daemon's bound for the last message is 8 s; a poll or two on top. */
    private static final Duration DETECTION_DEADLINE = Duration.ofSeconds(12);
    private static final Duration DOWN_WINDOW = Duration.ofSeconds(15);

    @Test
    void aKilledPeerIsNeverReportedStreamingAndTheMeshIsHealthyOnceItIsBack() {
        try (TestCluster cluster = TestCluster.start(CLUSTER, SUBNET_OCTET, 3)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).untilAsserted(() ->
                    assertThat(new ClusterStatus(cluster.ctx).collect()).allSatisfy(r ->
                            assertThat(r.health()).as(r.container().node() + " " + r.detail())
                                    .isEqualTo(NodeReport.HEALTHY)));

            // idle and alive: healthy on every poll, however long ago the last change was
            List<String> falseAlarms = new ArrayList<>();
            long[] maxAgeMillis = {0};
            int idlePolls = pollFor(IDLE_WINDOW, () -> {
                for (NodeReport r : new ClusterStatus(cluster.ctx).collect()) {
                    if (!NodeReport.HEALTHY.equals(r.health())) {
                        falseAlarms.add(r.container().node() + " " + r.health() + " (" + r.detail() + ")");
                    }
                    for (SubscriptionInfo s : r.status() == null ? List.<SubscriptionInfo>of() : r.status().subscriptions()) {
                        if (s.lastMessageAgeMillis() != null) {
                            maxAgeMillis[0] = Math.max(maxAgeMillis[0], s.lastMessageAgeMillis());
                        }
                    }
                }
            });
            System.out.printf("[StatusTruthIT] idle: %d polls over %d s, oldest last message seen %.1f s ago%n",
                    idlePolls, IDLE_WINDOW.toSeconds(), maxAgeMillis[0] / 1000.0);
            assertThat(falseAlarms).as("an idle, alive mesh reported unhealthy").isEmpty();

            NodeContainer victim = cluster.nodes.get(2);
            assertThat(victim.node()).isEqualTo("node2");
            long killed = System.nanoTime();
            TestClusters.docker().killContainerCmd(victim.containerId()).exec();

            await().atMost(DETECTION_DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(lies(statusJson(cluster))).isEmpty());
            System.out.printf("[StatusTruthIT] node2 killed -> no node calls it streaming after %.1f s%n",
                    (System.nanoTime() - killed) / 1e9);

            List<String> lies = new ArrayList<>();
            Set<String> statesSeen = new TreeSet<>();
            int downPolls = pollFor(DOWN_WINDOW, () -> {
                StatusPoll poll = statusJson(cluster);
                lies.addAll(lies(poll));
                for (String node : List.of("node0", "node1")) {
                    toNode2(poll.doc, node).forEach(s -> statesSeen.add(s.get("state").asText()));
                }
            });
            System.out.printf("[StatusTruthIT] node2 down: %d polls over %d s, its subscribers' states seen: %s%n",
                    downPolls, DOWN_WINDOW.toSeconds(), statesSeen);
            assertThat(downPolls).as("polls in the window").isGreaterThanOrEqualTo(10);
            assertThat(lies).as("polls that called node2 streaming or a node of it healthy").isEmpty();
            assertThat(statesSeen).doesNotContain(SubscriptionInfo.STREAMING);

            CliRun table = cluster.pgmesh("status");
            assertThat(table.exitCode()).isEqualTo(1);
            assertThat(table.out()).containsPattern("node0\\s.*\\bdegraded\\b.*node2 (connecting|stalled|stopped)")
                    .containsPattern("node1\\s.*\\bdegraded\\b.*node2 (connecting|stalled|stopped)")
                    .containsPattern("node2\\s.*\\bdown\\b");

            new NodeRestart(cluster.ctx).startNode("node2", Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).untilAsserted(() -> {
                CliRun run = cluster.pgmesh("status", "--json");
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                JsonNode doc = JSON.readTree(run.out());
                assertThat(doc.get("healthy").asBoolean()).isTrue();
                for (JsonNode node : doc.get("nodes")) {
                    assertThat(node.get("health").asText()).as(node.toString()).isEqualTo(NodeReport.HEALTHY);
                    assertThat(node.get("subscriptions")).hasSize(2)
                            .allSatisfy(s -> assertThat(s.get("state").asText()).isEqualTo(SubscriptionInfo.STREAMING));
                }
            });
            List<String> afterRestart = new ArrayList<>();
            pollFor(IDLE_WINDOW, () -> new ClusterStatus(cluster.ctx).collect().stream()
                    .filter(r -> !NodeReport.HEALTHY.equals(r.health()))
                    .forEach(r -> afterRestart.add(r.container().node() + " " + r.health() + " (" + r.detail() + ")")));
            assertThat(afterRestart).as("unhealthy after node2 came back").isEmpty();
        }
    }

    /**
     * A peer frozen ({@code docker pause}): its kernel keeps the connections open but nothing answers, so the
     * subscriber's worker keeps its pid and its received LSN while no message comes. It must read stalled after the
     * bound (8 s) and never streaming; once its worker gives up it is stopped, then connecting. Unfrozen, it streams.
     */
    @Test
    void aFrozenPeerIsStalledThenConnectingNeverStreaming() {
        try (TestCluster cluster = TestCluster.start(CLUSTER, SUBNET_OCTET, 2)) {
            NodeContainer node0 = cluster.nodes.get(0);
            NodeContainer node1 = cluster.nodes.get(1);
            try (NodeRpcClient client = NodeRpcClient.forLocalPort(node0.node(), node0.rpcPort(),
                    Duration.ofSeconds(5), cluster.ctx.rpcSecret(), cluster.ctx.pki().clientTls())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).untilAsserted(() ->
                        assertThat(client.api().status().subscriptions()).singleElement()
                                .satisfies(s -> assertThat(s.state()).isEqualTo(SubscriptionInfo.STREAMING)));

                long paused = System.nanoTime();
                TestClusters.docker().pauseContainerCmd(node1.containerId()).exec();
                try {
                    List<String> seen = new ArrayList<>();
                    await().atMost(DETECTION_DEADLINE).pollInterval(Duration.ofMillis(250)).until(() ->
                            !client.api().status().subscriptions().get(0).streaming());
                    System.out.printf("[StatusTruthIT] node1 paused -> node0 calls it not streaming after %.1f s%n",
                            (System.nanoTime() - paused) / 1e9);
                    int polls = pollFor(Duration.ofSeconds(20), () -> {
                        SubscriptionInfo s = client.api().status().subscriptions().get(0);
                        seen.add(s.stateDescription());
                    });
                    System.out.printf("[StatusTruthIT] node1 paused: %d polls over 20 s: %s%n", polls, seen);
                    assertThat(seen).noneMatch(state -> state.equals(SubscriptionInfo.STREAMING));
                    assertThat(seen).as("the frozen peer's worker is seen stalled before it gives up, or after")
                            .anyMatch(state -> state.startsWith(SubscriptionInfo.STALLED + " (last message "));
                } finally {
                    TestClusters.docker().unpauseContainerCmd(node1.containerId()).exec();
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).untilAsserted(() ->
                        assertThat(new ClusterStatus(cluster.ctx).collect()).allSatisfy(r ->
                                assertThat(r.health()).as(r.container().node() + " " + r.detail())
                                        .isEqualTo(NodeReport.HEALTHY)));
            }
        }
    }

    /** One {@code pgmesh status --json}: its exit code and document. */
    private record StatusPoll(int exitCode, JsonNode doc) {
    }

    private static StatusPoll statusJson(TestCluster cluster) throws Exception {
        CliRun run = cluster.pgmesh("status", "--json");
        return new StatusPoll(run.exitCode(), JSON.readTree(run.out()));
    }

    /** What a poll says that is not so while node2 is down: empty when it tells the truth. */
    private static List<String> lies(StatusPoll poll) {
        List<String> lies = new ArrayList<>();
        if (poll.exitCode != 1) {
            lies.add("exit code " + poll.exitCode);
        }
        if (poll.doc.get("healthy").asBoolean()) {
            lies.add("cluster healthy");
        }
        for (String node : List.of("node0", "node1")) {
            JsonNode n = node(poll.doc, node);
            if (!NodeReport.DEGRADED.equals(n.get("health").asText())) {
                lies.add(node + " " + n.get("health").asText() + " (" + n.get("detail").asText() + ")");
            }
            List<JsonNode> subs = toNode2(poll.doc, node);
            if (subs.isEmpty()) {
                lies.add(node + " has no subscription to node2");
            }
            subs.stream().filter(s -> SubscriptionInfo.STREAMING.equals(s.get("state").asText()))
                    .forEach(s -> lies.add(node + ": " + s.get("name").asText() + " streaming"));
        }
        if (!NodeReport.DOWN.equals(node(poll.doc, "node2").get("health").asText())) {
            lies.add("node2 " + node(poll.doc, "node2").get("health").asText());
        }
        return lies;
    }

    private static JsonNode node(JsonNode doc, String name) {
        for (JsonNode n : doc.get("nodes")) {
            if (name.equals(n.get("node").asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + doc);
    }

    private static List<JsonNode> toNode2(JsonNode doc, String node) {
        List<JsonNode> subs = new ArrayList<>();
        node(doc, node).get("subscriptions").forEach(s -> {
            if ("node2".equals(s.get("peer").asText())) {
                subs.add(s);
            }
        });
        return subs;
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} every {@link #POLL} until {@code window} has passed (bounded by Awaitility); the poll count. */
    private static int pollFor(Duration window, Check check) {
        long end = System.nanoTime() + window.toNanos();
        int[] polls = {0};
        await().atMost(window.plusSeconds(30)).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
            check.run();
            polls[0]++;
            return System.nanoTime() >= end;
        });
        return polls[0];
    }
}
