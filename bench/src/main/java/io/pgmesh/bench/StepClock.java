package io.pgmesh.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The orchestrator's step log with the time each line arrived. The orchestrator logs a step when it has
 * finished it, so the time between two lines is what the later line's step took: that splits {@code up} into
 * phases without touching the orchestrator.
 */
final class StepClock implements Consumer<String> {

    static final String PREPARE = "preflight, secrets, image check, network";
    static final String CONTAINER = "container create+start, daemon ready";
    static final String TOPOLOGY = "updateNetworkTopology (every member)";
    static final String INIT_DATABASE = "initDatabase";
    static final String CREATE_TABLE = "createReplicaTable (tables and publications)";
    static final String SUBSCRIBE = "subscribeToNode (the new node and the earlier ones, both ways)";
    static final String OTHER = "other";

    private static final Pattern DAEMON_READY = Pattern.compile(
            "\\[node\\d+] daemon ready on 127\\.0\\.0\\.1:\\d+, PostgreSQL (.*) \\((\\d+(?:\\.\\d+)?) s\\)");
    private static final Pattern COPY_DONE = Pattern.compile("copy from node\\d+ done in (\\d+(?:\\.\\d+)?) s");

    record Line(long nanos, String text) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Consumer<String> echo;

    StepClock(Consumer<String> echo) {
        this.echo = echo;
    }

    @Override
    public void accept(String line) {
        lines.add(new Line(System.nanoTime(), line));
        echo.accept(line);
    }

    /** The lines logged at or after {@code nanos} (a {@link System#nanoTime()} value). */
    List<Line> since(long nanos) {
        return lines.stream().filter(l -> l.nanos() >= nanos).toList();
    }

    void clear() {
        lines.clear();
    }

    /** Seconds per phase of an {@code up} that began at {@code startNanos} and ended at {@code endNanos}. */
    static Map<String, Double> upPhases(List<Line> lines, long startNanos, long endNanos) {
        Map<String, Double> phases = new LinkedHashMap<>();
        for (String p : List.of(PREPARE, CONTAINER, TOPOLOGY, INIT_DATABASE, CREATE_TABLE, SUBSCRIBE, OTHER)) {
            phases.put(p, 0.0);
        }
        long previous = startNanos;
        String phase = PREPARE;
        boolean nodesStarted = false;
        for (Line line : lines) {
            String text = line.text();
            boolean action = text.matches("\\[[^\\]]+]   .*"); // an action line of the step logged just before
            if (!action) {
                if (text.contains("starting container") || text.contains("daemon ready")) {
                    nodesStarted = true;
                    phase = CONTAINER;
                } else if (text.contains("updateNetworkTopology")) {
                    phase = TOPOLOGY;
                } else if (text.contains("initDatabase")) {
                    phase = INIT_DATABASE;
                } else if (text.contains("createReplicaTable")) {
                    phase = CREATE_TABLE;
                } else if (text.contains("subscribing to")) {
                    phase = SUBSCRIBE;
                } else {
                    phase = nodesStarted ? OTHER : PREPARE;
                }
            }
            phases.merge(phase, (line.nanos() - previous) / 1e9, Double::sum);
            previous = line.nanos();
        }
        phases.merge(OTHER, Math.max(0, endNanos - previous) / 1e9, Double::sum);
        return phases;
    }

    /** Each started node's "daemon ready" time (seconds from container start), as NodeStarter logs it. */
    static List<Double> daemonReadySeconds(List<Line> lines) {
        List<Double> seconds = new ArrayList<>();
        for (Line l : lines) {
            Matcher m = DAEMON_READY.matcher(l.text());
            if (m.find()) {
                seconds.add(Double.parseDouble(m.group(2)));
            }
        }
        return seconds;
    }

    /** The PostgreSQL version a daemon reported when it became ready, or null. */
    static String postgresVersion(List<Line> lines) {
        for (Line l : lines) {
            Matcher m = DAEMON_READY.matcher(l.text());
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The initial copy's duration that add-node logged ("copy from node0 done in 1.2 s"), or NaN. */
    static double copySeconds(List<Line> lines) {
        for (Line l : lines) {
            Matcher m = COPY_DONE.matcher(l.text());
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        return Double.NaN;
    }
}
