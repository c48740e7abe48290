package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeException;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A {@link StepHook} for tests of a real orchestrator process: halts the JVM at once (exit 137, as
 * SIGKILL would: no shutdown hook and no finally block runs) before or after a named step of a named
 * node's join or leave. The CLI installs it when {@link #ENV} is set, e.g.
 * {@code PGMESH_TEST_HALT_AT=after:node3:create-tables}; nothing else uses it.
 */
public final class HaltAt implements StepHook {

    public static final String ENV = "PGMESH_TEST_HALT_AT";
    /** The exit status of a process killed by SIGKILL. */
    public static final int EXIT = 137;

    private final boolean after;
    private final String node;
    private final String step;
    private final Consumer<String> log;
    private final Runnable halt;

    HaltAt(boolean after, String node, String step, Consumer<String> log, Runnable halt) {
        this.after = after;
        this.node = node;
        this.step = step;
        this.log = log;
        this.halt = halt;
    }

    /** Parses {@code before|after:NODE:STEP}; the step must be one of the join or leave tables'. */
    public static HaltAt parse(String spec, Consumer<String> log) {
        return parse(spec, log, () -> Runtime.getRuntime().halt(EXIT));
    }

    static HaltAt parse(String spec, Consumer<String> log, Runnable halt) {
        String[] parts = spec.trim().split(":");
        List<String> steps = Stream.of(NodeJoin.liveStepNames(), NodeJoin.newClusterStepNames(), NodeLeave.stepNames())
                .flatMap(List::stream).distinct().toList();
        if (parts.length != 3 || !List.of("before", "after").contains(parts[0].toLowerCase(Locale.ROOT))
                || !steps.contains(parts[2])) {
            throw new IllegalArgumentException(ENV + "='" + spec + "': expected before|after:NODE:STEP with STEP one of "
                    + steps);
        }
        return new HaltAt(parts[0].equalsIgnoreCase("after"), parts[1], parts[2], log, halt);
    }

    @Override
    public void before(String n, String s) {
        if (!after) {
            haltIfHere(n, s);
        }
    }

    @Override
    public void after(String n, String s) {
        if (after) {
            haltIfHere(n, s);
        }
    }

    private void haltIfHere(String n, String s) {
        if (node.equals(n) && step.equals(s)) {
            log.accept(NodeException.prefixed(n, "halted " + (after ? "after" : "before") + " step " + s + " (" + ENV + ")"));
            halt.run();
        }
    }
}
