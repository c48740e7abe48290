package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.fake.FakeRuntime;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every step of {@code up}, {@code add-node} and {@code remove-node}, interrupted at the step (before it
 * is applied) and after it, on fake nodes: running the same command again ends in exactly the state an
 * uninterrupted run leaves. The interruption is picked by step name through the context's
 * {@link StepHook}, never by log text.
 */
class InterruptedStepsTest {

    @TempDir
    Path tmp;

    private int homes;

    /** Thrown by the hook where a run is cut short. */
    static final class Interrupted extends RuntimeException {
        Interrupted(String where) {
            super("interrupted " + where);
        }
    }

    enum When { BEFORE, AFTER }

    /** Interrupts the run at {@code step} of {@code node}'s table, before or after it is applied. */
    record StopAt(String node, String step, When when) implements StepHook {
        @Override
        public void before(String n, String s) {
            if (when == When.BEFORE && node.equals(n) && step.equals(s)) {
                throw new Interrupted("before " + this);
            }
        }

        @Override
        public void after(String n, String s) {
            if (when == When.AFTER && node.equals(n) && step.equals(s)) {
                throw new Interrupted("after " + this);
            }
        }
    }

    private FakeCluster cluster() {
        try {
            return new FakeCluster(Files.createDirectory(tmp.resolve("home" + homes++)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void up(FakeCluster c, int nodes, StepHook hook) {
        new ClusterUp(c.ctx(hook), () -> "image").run(nodes);
    }

    private static NodeJoin.Joined addNode(FakeCluster c, StepHook hook) {
        return new NodeJoin(c.ctx(hook)).addNode(() -> "image");
    }

    private static void removeNode(FakeCluster c, String node, StepHook hook) {
        new NodeLeave(c.ctx(hook)).removeNode(node);
    }

    private static Map<String, NodeReport> status(FakeCluster c) {
        Map<String, NodeReport> reports = new java.util.LinkedHashMap<>();
        new ClusterStatus(c.ctx()).collect().forEach(r -> reports.put(r.container().node(), r));
        return reports;
    }

    // ---- up ----

    @TestFactory
    List<DynamicTest> upInterruptedAtOrAfterAnyStepOfAnyNodeIsCompletedByTheNextUp() {
        FakeCluster reference = cluster();
        up(reference, 3, StepHook.NONE);
        FakeRuntime.Snapshot expected = reference.runtime.snapshot();

        List<DynamicTest> tests = new ArrayList<>();
        for (String node : List.of("node0", "node1", "node2")) {
            for (String step : NodeJoin.newClusterStepNames()) {
                for (When when : When.values()) {
                    StopAt stop = new StopAt(node, step, when);
                    tests.add(DynamicTest.dynamicTest(stop.toString(), () -> {
                        FakeCluster c = cluster();
                        if (!interrupts(() -> up(c, 3, stop))) {
                            // a step with nothing to do for this node (node0 has no members) is never applied
                            assertThat(c.runtime.snapshot()).isEqualTo(expected);
                            return;
                        }
                        up(c, 3, StepHook.NONE);
                        assertThat(c.runtime.snapshot()).as("after the rerun").isEqualTo(expected);
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void upWhoseNodeFailsOrDiesAtAStepIsCompletedByTheNextUp() {
        FakeCluster reference = cluster();
        up(reference, 3, StepHook.NONE);

        FakeCluster failing = cluster();
        StepHook failCreate = onStep("node1", "create-tables", n -> failing.runtime.node(n).failOn("createReplicaTable"));
        assertThatThrownBy(() -> up(failing, 3, failCreate)).isInstanceOf(NodeRpcException.class)
                .hasMessageContaining("createReplicaTable failed");
        up(failing, 3, StepHook.NONE);
        assertThat(failing.runtime.snapshot()).isEqualTo(reference.runtime.snapshot());

        FakeCluster dying = cluster();
        StepHook dieOnInit = onStep("node2", "init-database", n -> dying.runtime.node(n).dieAfter("initDatabase"));
        assertThatThrownBy(() -> up(dying, 3, dieOnInit)).isInstanceOf(NodeRpcException.class);
        assertThat(dying.runtime.snapshot().nodes()).containsExactly("node0", "node1", "node2 (exited)");
        up(dying, 3, StepHook.NONE);
        assertThat(dying.log).contains("[node2] starting existing container fake-node2 (exited)");
        assertThat(dying.runtime.snapshot()).isEqualTo(reference.runtime.snapshot());
    }

    // ---- add-node ----

    @TestFactory
    List<DynamicTest> addNodeInterruptedAtOrAfterAnyStepIsFinishedByTheNextAddNode() {
        FakeCluster reference = cluster();
        up(reference, 3, StepHook.NONE);
        NodeJoin.Joined uninterrupted = addNode(reference, StepHook.NONE);
        assertThat(uninterrupted.node().node()).isEqualTo("node3");
        assertThat(uninterrupted.changedSince()).containsOnlyKeys(0, 1, 2);
        FakeRuntime.Snapshot expected = reference.runtime.snapshot();

        List<DynamicTest> tests = new ArrayList<>();
        List<String> steps = NodeJoin.liveStepNames();
        for (String step : steps) {
            for (When when : When.values()) {
                StopAt stop = new StopAt("node3", step, when);
                tests.add(DynamicTest.dynamicTest(stop.toString(), () -> {
                    FakeCluster c = cluster();
                    up(c, 3, StepHook.NONE);
                    assertThat(interrupts(() -> addNode(c, stop))).isTrue();
                    boolean complete = when == When.AFTER && step.equals(steps.get(steps.size() - 1));
                    if (complete) {
                        // the last step was done: nothing is left to finish
                        assertThat(c.runtime.snapshot()).isEqualTo(expected);
                        assertThat(status(c).values()).allMatch(r -> r.health().equals(NodeReport.HEALTHY));
                        return;
                    }
                    NodeReport node3 = status(c).get("node3");
                    assertThat(node3.health()).as(node3.detail()).isEqualTo(NodeReport.JOINING);
                    assertThat(node3.detail()).startsWith("join unfinished: ").contains("; next step ")
                            .endsWith("'pgmesh add-node' finishes it");
                    // where a rerun resumes: at the latest the step after the interruption, later only when the
                    // nodes did a step's work on their own (an initial copy finishes without the orchestrator)
                    String next = node3.detail().replaceAll(".*; next step ([a-z-]+);.*", "$1");
                    assertThat(steps).contains(next);
                    if (!step.equals("subscribe-to-others") && !step.equals("copy-done")) {
                        assertThat(steps.indexOf(next)).as("the step status names, " + next)
                                .isBetween(0, steps.indexOf(step) + (when == When.AFTER ? 1 : 0));
                    }

                    NodeJoin.Joined finished = addNode(c, StepHook.NONE);
                    assertThat(c.log).contains("[node3] finishing an interrupted join");
                    assertThat(finished.node().node()).isEqualTo("node3");
                    assertThat(finished.changedSince()).as("the join's start is unknown").isEmpty();
                    assertThat(c.runtime.snapshot()).as("after the rerun").isEqualTo(expected);
                }));
            }
        }
        return tests;
    }

    @Test
    void aJoinResumesAtTheFirstStepNotDoneAndSkipsTheOnesBefore() {
        FakeCluster c = cluster();
        up(c, 3, StepHook.NONE);
        assertThat(interrupts(() -> addNode(c, new StopAt("node3", "copy-from-source", When.AFTER)))).isTrue();
        c.log.clear();
        List<String> applied = new ArrayList<>();
        addNode(c, new StepHook() {
            @Override
            public void before(String node, String step) {
                applied.add(step);
            }
        });
        // reserve-slots is judged by the subscriptions to every member, which the run had not made yet
        assertThat(applied).containsExactly("reserve-slots", "source-caught-up", "copy-from-source",
                "subscribe-to-others", "copy-done", "enable-others", "members-subscribe");
        assertThat(c.log).contains("[node3] updateNetworkTopology (step topology): already in place",
                "[node3] initDatabase (step init-database): already in place",
                "[node3] createReplicaTable (step create-tables): already in place");
    }

    // ---- remove-node ----

    @TestFactory
    List<DynamicTest> removeNodeInterruptedAtOrAfterAnyStepIsFinishedByTheNextRemoveNode() {
        FakeCluster reference = cluster();
        up(reference, 4, StepHook.NONE);
        removeNode(reference, "node1", StepHook.NONE);
        FakeRuntime.Snapshot expected = reference.runtime.snapshot();
        assertThat(expected.nodes()).containsExactly("node0", "node2", "node3");
        assertThat(expected.retired()).containsExactly(1);
        assertThat(reference.runtime.volumes(FakeCluster.NAME)).as("the removed node's data goes with it")
                .extracting(io.pgmesh.orchestrator.runtime.NodeVolume::node).containsExactly("node0", "node2", "node3");
        expected.catalogs().values().forEach(catalog -> {
            assertThat(catalog.subscriptions().keySet()).noneMatch(s -> s.contains("node1"));
            assertThat(catalog.slots()).noneMatch(s -> s.contains("node1"));
        });

        List<DynamicTest> tests = new ArrayList<>();
        for (String step : NodeLeave.stepNames()) {
            for (When when : When.values()) {
                StopAt stop = new StopAt("node1", step, when);
                tests.add(DynamicTest.dynamicTest(stop.toString(), () -> {
                    FakeCluster c = cluster();
                    up(c, 4, StepHook.NONE);
                    assertThat(interrupts(() -> removeNode(c, "node1", stop))).isTrue();
                    NodeReport node1 = status(c).get("node1");
                    if (node1 != null && c.runtime.retiredIndexes(FakeCluster.NAME).contains(1)) {
                        assertThat(node1.health()).isEqualTo(NodeReport.LEAVING);
                        assertThat(node1.detail()).matches("removal unfinished( \\([a-z-]+\\))?; next step [a-z-]+;"
                                + " 'pgmesh remove-node node1' finishes it");
                    }
                    removeNode(c, "node1", StepHook.NONE);
                    assertThat(c.runtime.snapshot()).as("after the rerun").isEqualTo(expected);
                    assertThat(c.runtime.volumes(FakeCluster.NAME)).extracting(
                            io.pgmesh.orchestrator.runtime.NodeVolume::node).doesNotContain("node1");
                }));
            }
        }
        return tests;
    }

    @Test
    void aLeavingNodeThatDiesWhileDroppingItsSubscriptionsIsRemovedByTheNextRemoveNode() {
        FakeCluster reference = cluster();
        up(reference, 4, StepHook.NONE);
        removeNode(reference, "node1", StepHook.NONE);

        FakeCluster c = cluster();
        up(c, 4, StepHook.NONE);
        StepHook die = onStep("node1", "drop-own-subscriptions", n -> c.runtime.node(n).dieOn("dropSubscriptionsTo"));
        assertThatThrownBy(() -> removeNode(c, "node1", die)).isInstanceOf(NodeRpcException.class);
        assertThat(status(c).get("node1").health()).isEqualTo(NodeReport.LEAVING);

        removeNode(c, "node1", StepHook.NONE);
        assertThat(c.runtime.snapshot()).isEqualTo(reference.runtime.snapshot());
    }

    // ---- helpers ----

    /** Runs {@code run}; whether the hook interrupted it. */
    private static boolean interrupts(Runnable run) {
        try {
            run.run();
            return false;
        } catch (Interrupted e) {
            return true;
        }
    }

    /** Does {@code action} (with the node's name) right before {@code step} of {@code node} is applied. */
    private static StepHook onStep(String node, String step, Consumer<String> action) {
        return new StepHook() {
            @Override
            public void before(String n, String s) {
                if (node.equals(n) && step.equals(s)) {
                    action.accept(n);
                }
            }
        };
    }
}
